package game

import "github.com/yohamta/donburi"

// Body is the component type of a player's place in the arena.
var Body = donburi.NewComponentType[BodyData]()

// BodyData is a player's ID and position.
type BodyData struct {
	// ID identifies the player in snapshots; never zero.
	ID uint16
	// Pos is the player's centre.
	Pos Vec
}

// Control is the component type of the buttons a player holds.
var Control = donburi.NewComponentType[ControlData]()

// ControlData is what moves a player: the buttons its client last sent, or
// its brain chose.
type ControlData struct {
	Buttons Buttons
}

// Brain is the component type of a bot's mind.
var Brain = donburi.NewComponentType[BrainData]()

// BrainData is where a bot is heading and until when.
type BrainData struct {
	Target Vec
	// Until is the tick at which the bot picks a new target.
	Until uint64
}

// Coin is the component type of a coin.
var Coin = donburi.NewComponentType[CoinData]()

// CoinData is a coin's position.
type CoinData struct {
	Pos Vec
}
