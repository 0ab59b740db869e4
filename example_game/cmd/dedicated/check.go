package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/steamgs/steamgs/example_game/internal/cli"
	"github.com/steamgs/steamgs/example_game/server"
	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/local"
	"github.com/steamgs/steamgs/steamgs/query"
	"github.com/steamgs/steamgs/steamgs/steamworks"
)

// checkTimeout bounds the embedded Steam's log-on and the A2S_INFO query of
// a check.
const checkTimeout = 10 * time.Second

// tokenPage is where a game server log-on token is made.
const tokenPage = "https://steamcommunity.com/dev/managegameservers"

// checkLine is one line of the checklist.
type checkLine struct {
	status string // "ok", "FAIL" or "skip"
	name   string
	detail string
	fix    string // how to fix a failure
}

// checklist gathers the lines of a check.
type checklist struct{ lines []checkLine }

func (c *checklist) ok(name, format string, args ...any) {
	c.lines = append(c.lines, checkLine{status: "ok", name: name, detail: fmt.Sprintf(format, args...)})
}

func (c *checklist) skip(name, format string, args ...any) {
	c.lines = append(c.lines, checkLine{status: "skip", name: name, detail: fmt.Sprintf(format, args...)})
}

func (c *checklist) fail(name, detail, fix string) {
	c.lines = append(c.lines, checkLine{status: "FAIL", name: name, detail: detail, fix: fix})
}

// failed returns the number of failed lines.
func (c *checklist) failed() int {
	n := 0
	for _, l := range c.lines {
		if l.status == "FAIL" {
			n++
		}
	}
	return n
}

// print writes the checklist and a summary to w.
func (c *checklist) print(w io.Writer, backend string) {
	fmt.Fprintf(w, "dedicated -check (-backend %s)\n", backend)
	for _, l := range c.lines {
		fmt.Fprintf(w, "  %-4s  %s: %s\n", l.status, l.name, l.detail)
		if l.fix != "" {
			fmt.Fprintf(w, "        fix: %s\n", l.fix)
		}
	}
	checks := 0
	for _, l := range c.lines {
		if l.status != "skip" {
			checks++
		}
	}
	if n := c.failed(); n > 0 {
		fmt.Fprintf(w, "%d of %d checks failed\n", n, checks)
		return
	}
	fmt.Fprintf(w, "all %d checks passed\n", checks)
}

// check runs the preflight checks of a deployment, prints the checklist to
// w and returns the exit code: exitOK when every check passes, exitFailure
// otherwise.
func check(ctx context.Context, sf *cli.ServerFlags, w io.Writer) int {
	var c checklist
	backend := checkBackend(&c, sf)
	cfg, cfgErr := sf.Config(backendOrLocal(backend), true, slog.New(slog.DiscardHandler))
	if cfgErr != nil {
		c.fail("flags", cfgErr.Error(), "correct the flag (or STEAMGS_ variable) the message names")
	}
	checkAppID(&c, sf)
	portsFree := checkPorts(&c, sf)
	checkRequired(&c, sf)
	if sf.Advertise {
		c.ok("advertising", "on: server browsers list the server and its A2S queries are answered")
	} else {
		c.fail("advertising", "off (-advertise=false): no server browser lists the server and A2S queries go unanswered",
			"drop -advertise=false (or STEAMGS_ADVERTISE=false)")
	}
	checkLogOnChoice(&c, sf)
	if sf.Backend == cli.BackendLocal {
		checkUniverse(&c, sf)
		switch {
		case backend == nil || cfgErr != nil:
			c.skip("log-on and A2S_INFO", "not tried: the configuration above is not valid")
		case !portsFree:
			c.skip("log-on and A2S_INFO", "not tried: the ports above are taken")
		default:
			checkRun(ctx, &c, cfg)
		}
	}
	c.print(w, sf.Backend)
	if c.failed() > 0 {
		return exitFailure
	}
	return exitOK
}

// backendOrLocal returns b, or an embedded Steam when b is nil, so that
// the flags can be checked when the back end did not open.
func backendOrLocal(b steamgs.Backend) steamgs.Backend {
	if b != nil {
		return b
	}
	u, _ := local.NewUniverse(local.Options{})
	return u
}

// checkBackend opens the back end and reports it; nil when it did not open.
func checkBackend(c *checklist, sf *cli.ServerFlags) steamgs.Backend {
	b, _, err := sf.OpenBackend()
	switch {
	case errors.Is(err, cli.ErrUsage):
		c.fail("back end", err.Error(), "give -backend local (the embedded Steam) or -backend steamworks (the real Steam)")
		return nil
	case err != nil && sf.Backend == cli.BackendSteamworks:
		c.fail("libsteam_api", err.Error(), "put Valve's redistributable libsteam_api (the Steamworks SDK's redistributable_bin/"+
			"linux64/libsteam_api.so) next to the binary, or give its path with -steam-lib (STEAMGS_STEAM_LIB) or STEAM_API_LIB")
		checkSteamClient(c)
		return nil
	case err != nil:
		c.fail("back end", err.Error(), "")
		return nil
	}
	lib, ok := b.(*steamworks.Library)
	if !ok {
		c.ok("back end", "the embedded Steam (steamgs/local); clients join with the same -universe")
		return b
	}
	versions := lib.InterfaceVersions()
	var shown []string
	for _, v := range versions {
		if strings.HasPrefix(v, "SteamGameServer0") || strings.HasPrefix(v, "STEAMUGC_") {
			shown = append(shown, v)
		}
	}
	c.ok("libsteam_api", "loaded %s: %s (%s among %d interfaces)", lib.Path(), sdkOf(versions), strings.Join(shown, ", "), len(versions))
	checkSteamClient(c)
	return b
}

// sdkOf names the Steamworks SDK whose interface versions a library checks.
func sdkOf(versions []string) string {
	switch {
	case slices.Contains(versions, "STEAMUGC_INTERFACE_VERSION021"):
		return "Steamworks SDK 1.62 or newer"
	case slices.Contains(versions, "STEAMUGC_INTERFACE_VERSION020"):
		return "Steamworks SDK 1.61"
	}
	return "an unknown Steamworks SDK"
}

// steamClientPath returns where libsteam_api loads steamclient from on
// Linux: ~/.steam/sdk64/steamclient.so.
func steamClientPath() (string, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(home, ".steam", "sdk64", "steamclient.so"), nil
}

// checkSteamClient reports whether steamclient.so is where libsteam_api
// looks for it.
func checkSteamClient(c *checklist) {
	if runtime.GOOS != "linux" {
		c.skip("steamclient", "checked on Linux only")
		return
	}
	path, err := steamClientPath()
	if err != nil {
		c.fail("steamclient", err.Error(), "set HOME")
		return
	}
	if fi, err := os.Stat(path); err != nil || fi.IsDir() {
		c.fail("steamclient", path+" not found: without it libsteam_api's init fails with \"Failed to load module\"",
			"install SteamCMD and run `steamcmd +login anonymous +app_update 1007 +quit` (the Steamworks SDK Redist), "+
				"then link its linux64/steamclient.so to "+path)
		return
	}
	c.ok("steamclient", "%s", path)
}

func checkAppID(c *checklist, sf *cli.ServerFlags) {
	switch {
	case sf.AppID == 0:
		c.fail("app ID", "0", "set -app-id (STEAMGS_APP_ID) to your game's Steam app ID")
	case steamgs.AppID(sf.AppID) == server.DefaultAppID:
		c.ok("app ID", "%d (Valve's Spacewar, the Steamworks test app; give your game's with -app-id)", sf.AppID)
	default:
		c.ok("app ID", "%d", sf.AppID)
	}
}

// checkPorts binds the game port and the query port, and reports whether
// both are free.
func checkPorts(c *checklist, sf *cli.ServerFlags) bool {
	ip, err := netip.ParseAddr(sf.IP)
	if err != nil || !ip.Unmap().Is4() || sf.Port > 65535 {
		c.skip("ports", "not checked: -ip or -port is not valid")
		return false
	}
	ip = ip.Unmap()
	game := netip.AddrPortFrom(ip, uint16(sf.Port))
	gconn, err := net.ListenUDP("udp4", net.UDPAddrFromAddrPort(game))
	if err != nil {
		c.fail("game port", fmt.Sprintf("UDP %s: %v", game, err), portFix(sf.Port, "-port"))
		return false
	}
	defer gconn.Close()
	if sf.Port == 0 {
		c.ok("game port", "UDP %s: 0 picks a free port at start", game)
	} else {
		c.ok("game port", "UDP %s is free", game)
	}
	switch {
	case sf.QueryPort < 0:
		c.ok("query port", "shares the game port (GameSocketShare): A2S queries arrive on the game socket")
		return true
	case sf.QueryPort == 0:
		c.ok("query port", "0 picks a free port at start")
		return true
	case sf.QueryPort > 65534:
		c.skip("query port", "not checked: -query-port is not valid")
		return false
	}
	q := netip.AddrPortFrom(ip, uint16(sf.QueryPort))
	qconn, err := net.ListenUDP("udp4", net.UDPAddrFromAddrPort(q))
	if err != nil {
		c.fail("query port", fmt.Sprintf("UDP %s: %v", q, err), portFix(uint(sf.QueryPort), "-query-port"))
		return false
	}
	qconn.Close()
	c.ok("query port", "UDP %s is free", q)
	return true
}

// portFix says how to free port or choose another with flag.
func portFix(port uint, flag string) string {
	return fmt.Sprintf("stop what holds UDP port %d (`ss -ulpn 'sport = :%d'` names it) or choose another with %s (%s)",
		port, port, flag, cli.EnvName(strings.TrimPrefix(flag, "-")))
}

// checkRequired checks the settings every server gives Steam before log-on
// by Steam's own rules: a server on the embedded Steam initialized with
// them logs on without an error.
func checkRequired(c *checklist, sf *cli.ServerFlags) {
	cfg := server.Config{AppID: steamgs.AppID(sf.AppID)}
	set := steamgs.Config{QueryPort: steamgs.QueryPortShared, Mode: steamgs.ModeAuthentication, Version: server.DefaultVersion,
		Product: cfg.Product(), GameDescription: server.GameDescription, ModDir: server.ModDir, Dedicated: true}
	u, err := local.NewUniverse(local.Options{})
	if err == nil {
		srv := steamgs.NewServer(u)
		if err = srv.Init(set); err == nil {
			err = srv.LogOnAnonymous()
			_ = srv.Shutdown()
		}
	}
	if err != nil {
		c.fail("required settings", err.Error(), "set the settings the message names before log-on")
		return
	}
	c.ok("required settings", "product %q, game description %q, mod dir %q", set.Product, set.GameDescription, set.ModDir)
}

// checkLogOnChoice checks the log-on is a deliberate choice on the real
// Steam: a token, or -anonymous.
func checkLogOnChoice(c *checklist, sf *cli.ServerFlags) {
	switch {
	case sf.Token != "":
		c.ok("log-on token", "with a game server log-on token (%d bytes)", len(sf.Token))
	case sf.Anonymous:
		c.ok("log-on token", "none: anonymous, chosen with -anonymous: the server gets a new Steam ID at every log-on")
	case sf.Backend == cli.BackendSteamworks:
		c.fail("log-on token", "none given for the real Steam",
			fmt.Sprintf("make a game server log-on token for app %d at %s and give it with -token-file FILE (or STEAMGS_TOKEN), "+
				"or give -anonymous to log on anonymously on purpose", sf.AppID, tokenPage))
	default:
		c.ok("log-on token", "none: anonymous, on the embedded Steam")
	}
}

// checkUniverse checks that a server reachable from other machines does not
// use the example's public passphrase, with which anyone can make tickets
// the server accepts.
func checkUniverse(c *checklist, sf *cli.ServerFlags) {
	ip, err := netip.ParseAddr(sf.IP)
	if sf.Universe != cli.DefaultUniverse {
		c.ok("universe passphrase", "not the public default")
		return
	}
	if err == nil && ip.Unmap().IsLoopback() {
		c.ok("universe passphrase", "the public default %q, on a loopback address only", cli.DefaultUniverse)
		return
	}
	c.fail("universe passphrase", fmt.Sprintf("the public default %q on %s, which other machines reach: anyone can make "+
		"tickets this server accepts", cli.DefaultUniverse, sf.IP),
		"set -universe (STEAMGS_UNIVERSE) to a secret passphrase that your clients share, or bind -ip 127.0.0.1")
}

// checkRun starts the server on the embedded Steam, waits for its log-on
// and asks its own A2S_INFO, on its query port or, in GameSocketShare
// mode, on the game port.
func checkRun(ctx context.Context, c *checklist, cfg server.Config) {
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	start := time.Now()
	srv, err := server.New(cfg)
	if err != nil {
		c.fail("log-on", "the server did not start: "+err.Error(), "correct what the message names")
		c.skip("A2S_INFO", "not asked: no server")
		return
	}
	defer srv.Close()
	tick := time.NewTicker(time.Second / time.Duration(cfg.Rules.TickRate))
	defer tick.Stop()
	for !srv.Plugin().Status().LoggedOn {
		select {
		case <-ctx.Done():
			st := srv.Plugin().Status()
			c.fail("log-on", fmt.Sprintf("not logged on after %v: state %s, last error %v", checkTimeout, st.State, st.LastError),
				"correct what the last error names; the embedded Steam logs a valid server on at once")
			c.skip("A2S_INFO", "not asked: not logged on")
			return
		case <-tick.C:
			srv.Tick()
		}
	}
	c.ok("log-on", "logged on to the embedded Steam as %s in %v", srv.Plugin().Status().SteamID, time.Since(start).Round(time.Millisecond))
	if !cfg.Advertise {
		c.skip("A2S_INFO", "not asked: advertising is off")
		return
	}

	host := srv.Addr().Addr()
	if host.IsUnspecified() {
		host = netip.AddrFrom4([4]byte{127, 0, 0, 1})
	}
	port, where := srv.QueryPort(), "its query port"
	if port == steamgs.QueryPortShared {
		port, where = srv.Addr().Port(), "the game port (GameSocketShare)"
	}
	addr := netip.AddrPortFrom(host, port)
	type answer struct {
		r   query.InfoReply
		err error
	}
	done := make(chan answer, 1)
	go func() {
		q, err := query.Dial(ctx, addr.String())
		if err != nil {
			done <- answer{err: err}
			return
		}
		defer q.Close()
		r, err := q.Info(ctx)
		done <- answer{r, err}
	}()
	for {
		select {
		case a := <-done:
			if a.err != nil {
				c.fail("A2S_INFO", fmt.Sprintf("no answer on %s, %s: %v", addr, where, a.err),
					"let UDP to the port through (a firewall, a container's port mapping)")
				return
			}
			c.ok("A2S_INFO", "answered on %s, %s, in %v: %q on %s, %d/%d players", addr, where,
				a.r.RTT.Round(time.Microsecond), a.r.Info.Name, a.r.Info.Map, a.r.Players, a.r.Info.MaxPlayers)
			return
		case <-tick.C:
			srv.Tick() // the game socket's A2S packets are handled by the tick
		}
	}
}
