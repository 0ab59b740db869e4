package server

import (
	"slices"
	"time"

	"github.com/steamgs/steamgs/components"
	"github.com/steamgs/steamgs/example_game/game"
	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/query"
)

// PlayerStatus is one player as a server panel shows it.
type PlayerStatus struct {
	ID      uint16 // the player's ID in snapshots
	Name    string
	SteamID steamgs.SteamID
	Score   uint32
	Auth    components.AuthState
	Bot     bool // a server-side bot
	Local   bool // the listen server's own player
	// Age is the time since the client's last packet; zero for bots and
	// the local player.
	Age time.Duration
	// Joined is when the player joined.
	Joined time.Time
}

// Status is what a server panel shows: the server's settings, where it
// stands with Steam, its players and its traffic.
type Status struct {
	Name, Map  string
	Addr       string // the game socket's address
	QueryPort  string // a port number, or "shared"
	State      components.Connection
	LoggedOn   bool
	Secure     bool
	SteamID    steamgs.SteamID
	MaxPlayers int
	Bots       int
	Tick       uint64
	Players    []PlayerStatus // ordered by score, highest first, then by ID
	Counters   Counters
	// Queries are the back end's A2S counters, when HasQueries is set (the
	// embedded Steam of steamgs/local reports them).
	Queries    query.Stats
	HasQueries bool
	// RestartRequested is set once Steam asked for a restart.
	RestartRequested bool
	// LastError is the last error of a Steam call, nil when none failed.
	LastError error
	// LastFailure is Steam's result for the last failed log-on; LogOnGaveUp
	// is set when the plugin stopped retrying it (Run then returns
	// ErrLogOnGivenUp).
	LastFailure steamgs.Result
	LogOnGaveUp bool
}

// queryStatser is a back end's server that counts A2S queries, such as
// *local.Server.
type queryStatser interface{ QueryStats() query.Stats }

// Status fills dst with the server's status, reusing dst.Players.
func (s *Server) Status(dst *Status) {
	st := s.ecs.Status()
	set := s.ecs.Settings()
	*dst = Status{
		Name: set.ServerName(), Map: set.MapName(), Addr: s.addr.String(), QueryPort: s.QueryPortString(),
		State: st.State, LoggedOn: st.LoggedOn, Secure: st.Secure, SteamID: st.SteamID,
		MaxPlayers: set.MaxPlayers(), Bots: set.Bots(), Tick: s.game.Tick(),
		Players: dst.Players[:0], Counters: s.Counters(),
		RestartRequested: st.RestartRequested, LastError: st.LastError,
		LastFailure: st.LastFailure, LogOnGaveUp: st.GaveUp,
	}
	s.ecs.LockSteam()
	_ = s.steam.Raw(func(conn any) error {
		if qs, ok := conn.(queryStatser); ok {
			dst.Queries, dst.HasQueries = qs.QueryStats(), true
		}
		return nil
	})
	s.ecs.UnlockSteam()
	now := s.cfg.Now()
	for e := range s.game.Players().Iter(s.world) {
		p := components.Player.Get(e)
		ps := PlayerStatus{ID: game.Body.Get(e).ID, Name: p.Name(), SteamID: p.SteamID(), Score: p.Score(),
			Auth: p.Auth(), Bot: p.Bot(), Local: e.HasComponent(Local), Joined: p.Joined()}
		if e.HasComponent(Remote) {
			ps.Age = now.Sub(Remote.Get(e).LastHeard)
		}
		dst.Players = append(dst.Players, ps)
	}
	slices.SortFunc(dst.Players, func(a, b PlayerStatus) int {
		if a.Score != b.Score {
			if a.Score > b.Score {
				return -1
			}
			return 1
		}
		return int(a.ID) - int(b.ID)
	})
}
