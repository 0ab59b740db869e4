package server

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"
)

// WriteTable writes st as a plain-text table for a terminal: the server's
// line, Steam's line, the query counters and one row per player.
func (st *Status) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "%s  (map %s)  game %s  query %s  tick %d\n", st.Name, st.Map, st.Addr, st.QueryPort, st.Tick)
	fmt.Fprintf(tw, "Steam %s  %s  secure %v  players %d/%d  bots %d\n", st.State, st.SteamID, st.Secure,
		len(st.Players), st.MaxPlayers, st.Bots)
	if st.HasQueries {
		q := st.Queries
		fmt.Fprintf(tw, "A2S info %d  players %d  rules %d  challenges %d  dropped %d\n", q.Info, q.Players, q.Rules,
			q.Challenges, q.DroppedRateLimit+q.DroppedBad+q.DroppedOff+q.DroppedSmall)
	}
	c := st.Counters
	fmt.Fprintf(tw, "packets game in %d out %d  steam in %d out %d  joins %d leaves %d\n", c.GameIn, c.GameOut,
		c.SteamIn, c.SteamOut, c.Joins, c.Leaves)
	if st.RestartRequested {
		fmt.Fprintln(tw, "Steam asked for a restart")
	}
	fmt.Fprintln(tw, "ID\tNAME\tSCORE\tAUTH\tAGE\tSTEAM ID")
	for _, p := range st.Players {
		fmt.Fprintf(tw, "%d\t%s\t%d\t%s\t%s\t%s\n", p.ID, p.Name, p.Score, p.AuthLabel(), p.AgeLabel(), p.SteamID)
	}
	return tw.Flush()
}

// AuthLabel returns the player's auth state as a panel shows it: "bot" for
// a server-side bot, "local" added for the listen server's own player.
func (p *PlayerStatus) AuthLabel() string {
	switch {
	case p.Bot:
		return "bot"
	case p.Local:
		return p.Auth.String() + " (local)"
	}
	return p.Auth.String()
}

// AgeLabel returns the time since the client's last packet in
// milliseconds, or "-" for a bot or the local player.
func (p *PlayerStatus) AgeLabel() string {
	if p.Bot || p.Local {
		return "-"
	}
	return fmt.Sprintf("%dms", p.Age.Round(time.Millisecond).Milliseconds())
}
