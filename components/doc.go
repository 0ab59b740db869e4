// Package components holds the donburi component types through which a game
// sees its Steam game server: the server's [Settings], its [Status] and its
// [Player] entities. A game writes components; the systems of package
// systems make the Steam calls, once per tick, and only for what changed.
//
// # The contract
//
// [SettingsData] and [PlayerData] keep their fields unexported: a game reads
// them through getters and changes them through setters (SetServerName,
// SetKeyValue, SetScore, ...). Each setter records what it changed: settings
// keep a bit mask of changed fields ([SettingsData.Dirty], a steamgs.Field,
// the mask Server.ApplySettings takes); a player counts its changes and, once
// the systems have taken it on, puts itself on its world's [Roster] of
// changed players. That is what makes a quiet tick cheap: the systems check a
// bit mask and a flag for the settings and look at one list for the players,
// and neither compares values nor walks every player. A setter given the
// value a field already has changes nothing.
//
// Setters are the only way to change these components. Replacing a component
// wholesale (ComponentType.SetValue or Set with another value) after the
// systems have taken the entity on detaches it from the roster: later changes
// of that player would not reach Steam. Create a player entity with its
// component in place (donburi's World.Create with [Player], then SetValue with
// the value of [NewPlayer] or [NewBot], in the same tick), or through the
// helpers of package systems and ecs; remove a player by removing its entity,
// not its component, so that its auth session ends.
//
// [StatusData] is the other way round: plain exported fields that the systems
// write and a game reads. A game may clear [StatusData.RestartRequested] once
// it has acted on it; other writes are overwritten by the systems.
//
// Some methods are marked "for the systems": they are how package systems
// records Steam's answers (a player's verdict, what was pushed). A game does
// not call them.
//
// The component types are package-level values, as donburi expects, and are
// shared by every world; they hold no state of a world of their own that
// systems use. Use the queries of package systems (or build your own per
// world) rather than the component types' Each and First, which share one
// query cache across worlds.
package components
