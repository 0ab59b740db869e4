package render

import (
	"cmp"
	"fmt"
	"image/color"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/steamgs/steamgs/example_game/client"
	"github.com/steamgs/steamgs/example_game/proto"
	"github.com/steamgs/steamgs/example_game/server"
)

// Panel geometry.
const (
	panelX       = 16
	panelY       = HUDHeight + 12
	panelWidth   = ScreenWidth - 2*panelX
	panelPadding = 10
)

// panelRows is the most player rows the client's scoreboard lists.
const panelRows = 16

// serverPanelRows is the most player rows the listen server's panel lists:
// fewer than the scoreboard, so that the panel, drawn over the top of the
// arena, always ends above the host's spawn point near the bottom edge
// (server.LocalSpawn).
const serverPanelRows = 10

// ServerPanel draws the listen server's panel: the server's name, map and
// address, where it stands with Steam and its Steam ID, the A2S query
// counters, and each player's name, score, auth state and age (time since
// its client's last packet).
func (r *Renderer) ServerPanel(dst *ebiten.Image, st *server.Status) {
	lines := 7 + min(len(st.Players), serverPanelRows)
	if len(st.Players) > serverPanelRows {
		lines++
	}
	h := float32(lines*r.gh + 2*panelPadding)
	r.Panel(dst, panelX, panelY, panelWidth, h)
	x := float64(panelX + panelPadding)
	y := float64(panelY + panelPadding)
	line := func(s string, c color.Color) {
		r.Text(dst, s, x, y, c)
		y += float64(r.gh)
	}
	line(fmt.Sprintf("%s  -  map %s", st.Name, st.Map), Heading)
	secure := "no"
	if st.Secure {
		secure = "yes"
	}
	line(fmt.Sprintf("Steam %s  %s  VAC %s", st.State, st.SteamID, secure), Text)
	line(fmt.Sprintf("game %s  query %s  tick %d", st.Addr, st.QueryPort, st.Tick), Text)
	if st.HasQueries {
		q := st.Queries
		line(fmt.Sprintf("A2S info %d  players %d  rules %d  challenges %d", q.Info, q.Players, q.Rules, q.Challenges), Text)
	} else {
		line("A2S counters: not reported by this back end", Dim)
	}
	line(fmt.Sprintf("players %d/%d  bots %d", len(st.Players), st.MaxPlayers, st.Bots), Text)
	line(fmt.Sprintf("%-20s %6s  %-16s %7s", "NAME", "SCORE", "AUTH", "AGE"), Heading)
	for i, p := range st.Players {
		if i == serverPanelRows {
			line(fmt.Sprintf("... and %d more", len(st.Players)-serverPanelRows), Dim)
			break
		}
		line(fmt.Sprintf("%-20.20s %6d  %-16.16s %7s", p.Name, p.Score, p.AuthLabel(), p.AgeLabel()), PlayerColor(p.ID))
	}
	line("Tab hides this panel", Dim)
}

// Browser draws the client's server list: one row per server with its name,
// map, players and ping; the selected row is marked. status is a line
// below the list (searching, joining, why the last game ended).
func (r *Renderer) Browser(dst *ebiten.Image, servers []client.ServerEntry, selected int, status string) {
	rows := max(len(servers), 1)
	statusLines := Wrap(status, (panelWidth-2*panelPadding)/r.gw)
	h := float32((rows+4+len(statusLines))*r.gh + 2*panelPadding)
	r.Panel(dst, panelX, panelY, panelWidth, h)
	x := float64(panelX + panelPadding)
	y := float64(panelY + panelPadding)
	line := func(s string, c color.Color) {
		r.Text(dst, s, x, y, c)
		y += float64(r.gh)
	}
	line("LAN servers", Heading)
	line(fmt.Sprintf("  %-22s %-10s %7s %6s %s", "NAME", "MAP", "PLAYERS", "PING", "ADDRESS"), Heading)
	if len(servers) == 0 {
		line("  (none found yet)", Dim)
	}
	for i, s := range servers {
		mark, c := "  ", color.Color(Text)
		if i == selected {
			mark, c = "> ", Heading
		}
		players := fmt.Sprintf("%d/%d", s.Players, s.Info.MaxPlayers)
		line(fmt.Sprintf("%s%-22.22s %-10.10s %7s %4dms %s", mark, s.Info.Name, s.Info.Map, players,
			s.Ping.Milliseconds(), s.Addr), c)
	}
	y += float64(r.gh)
	for _, l := range statusLines {
		line(l, Text)
	}
	line("Up/Down select  Enter join  R refresh  Esc quit", Dim)
}

// Wrap breaks s into lines of at most width characters: between words
// where it can, inside a word longer than a line, and at each newline of s.
// A width below 1 counts as 1.
func Wrap(s string, width int) []string {
	width = max(width, 1)
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		line, n := "", 0 // the line so far and its characters
		for _, w := range strings.Fields(para) {
			wn := utf8.RuneCountInString(w)
			for wn > width { // a word longer than a line: break it
				if n > 0 {
					lines = append(lines, line)
					line, n = "", 0
				}
				cut := 0
				for i := 0; i < width; i++ {
					_, size := utf8.DecodeRuneInString(w[cut:])
					cut += size
				}
				lines = append(lines, w[:cut])
				w, wn = w[cut:], wn-width
			}
			switch {
			case wn == 0:
			case n == 0:
				line, n = w, wn
			case n+1+wn <= width:
				line, n = line+" "+w, n+1+wn
			default:
				lines = append(lines, line)
				line, n = w, wn
			}
		}
		lines = append(lines, line)
	}
	return lines
}

// Scoreboard draws the players of snap ordered by score, as a client sees
// them: name, score and auth state.
func (r *Renderer) Scoreboard(dst *ebiten.Image, snap *proto.Snapshot, title string) {
	players := slices.Clone(snap.Players)
	slices.SortStableFunc(players, func(a, b proto.PlayerState) int { return cmp.Compare(b.Score, a.Score) })
	n := min(len(players), panelRows)
	h := float32((n+3)*r.gh + 2*panelPadding)
	r.Panel(dst, panelX, panelY, panelWidth, h)
	x := float64(panelX + panelPadding)
	y := float64(panelY + panelPadding)
	line := func(s string, c color.Color) {
		r.Text(dst, s, x, y, c)
		y += float64(r.gh)
	}
	line(title, Heading)
	line(fmt.Sprintf("%-24s %6s  %s", "NAME", "SCORE", "AUTH"), Heading)
	for _, p := range players[:n] {
		line(fmt.Sprintf("%-24.24s %6d  %s", p.Name, p.Score, p.Auth), PlayerColor(p.ID))
	}
	line("Tab hides the scores", Dim)
}
