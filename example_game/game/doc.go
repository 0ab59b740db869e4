// Package game holds the example's rules: an arena where players move with
// four buttons and collect coins for score, and bots that wander towards the
// coins. The rules are donburi components and one system ([Game.Update]) that
// a server runs every tick, between Steam's callbacks and the auth, scores
// and settings systems of package ecs. Scores live in the Steam player
// component ([components.PlayerData]), so every coin a player collects
// reaches Steam's server browser through the scores system.
//
// The package imports neither Ebiten nor a Steam back end: a dedicated
// server, a listen server and tests all run the same rules. With the same
// Rules.Seed and the same sequence of joins and inputs, a game plays out the
// same way tick for tick.
package game
