package steamgstest_test

import (
	"errors"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/steamgstest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// nullBackend is a back end without a Steam connection that runs one server
// at a time, like libsteam_api without a Steam client: log-ons fail with
// ServerConnectFailure. fault, when set, makes it misbehave in one way.
type nullBackend struct {
	open  bool
	fault string
	// emit is the last function RunCallbacks was given, kept by the fault
	// "late".
	emit func(steamgs.Callback)
}

func (b *nullBackend) Open(cfg steamgs.Config) (steamgs.Conn, error) {
	if b.open {
		return nil, fmt.Errorf("null: one server per process: %w", steamgs.ErrInUse)
	}
	b.open = true
	return &nullConn{b: b, cfg: cfg}, nil
}

func (b *nullBackend) Capabilities() steamgs.Capabilities { return steamgs.Capabilities{} }

// nullConn is a server of a nullBackend: it embeds the no-op Conn and writes
// only what the suite's cases exercise.
type nullConn struct {
	steamgstest.NopConn
	b        *nullBackend
	cfg      steamgs.Config
	failures int // log-on failures to deliver
}

func (c *nullConn) Close() error { c.b.open = false; return nil }

func (c *nullConn) RunCallbacks(emit func(steamgs.Callback)) {
	c.b.emit = emit
	for ; c.failures > 0; c.failures-- {
		switch c.b.fault {
		case "goroutine":
			done := make(chan struct{})
			go func() {
				emit(steamgs.ServerConnectFailure{Result: steamgs.ResultNoConnection})
				close(done)
			}()
			<-done
		case "connects":
			emit(steamgs.ServerConnected{})
		case "pointer":
			emit(&steamgs.ServerConnectFailure{Result: steamgs.ResultNoConnection})
		case "failure OK":
			emit(steamgs.ServerConnectFailure{Result: steamgs.ResultOK})
		default:
			emit(steamgs.ServerConnectFailure{Result: steamgs.ResultNoConnection})
		}
	}
}

func (c *nullConn) Status() steamgs.Status {
	st := steamgs.Status{LoggedOn: c.b.fault == "logged on", QueryPort: c.cfg.QueryPort}
	if c.b.fault == "query port" {
		st.QueryPort = 27016
	}
	return st
}

func (c *nullConn) LogOn(token string) {
	c.failures++
	if token == "" && c.b.fault == "late" && c.b.emit != nil {
		c.b.emit(steamgs.ServerConnectFailure{Result: steamgs.ResultNoConnection})
	}
}

// HandleIncomingPacket and GetNextOutgoingPacket make the null back end one
// that shares the game socket, as libsteam_api does, answering nothing.
func (c *nullConn) HandleIncomingPacket([]byte, netip.AddrPort) bool { return false }
func (c *nullConn) GetNextOutgoingPacket([]byte) (int, netip.AddrPort) {
	return 0, netip.AddrPort{}
}

// TestNoConnection runs the suite against a back end without a Steam
// connection, as the steamworks back end without a Steam client is.
func TestNoConnection(t *testing.T) {
	var opened int
	steamgstest.Run(t, steamgstest.Harness{New: func(t *testing.T) (steamgs.Backend, steamgstest.Steam) {
		opened++
		return &nullBackend{}, nil
	}})
	if want := len(steamgstest.Cases(steamgs.Capabilities{})) + 1; opened != want {
		t.Errorf("Harness.New was called %d times, want once per case and once more: %d", opened, want)
	}
}

func TestCases(t *testing.T) {
	all := steamgs.Capabilities{SteamConnection: true, MultipleServers: true, Queries: true}
	tests := []struct {
		name      string
		caps      steamgs.Capabilities
		has, lack []string
	}{
		{"no connection", steamgs.Capabilities{},
			[]string{"Rules/StringLimits", "Lifecycle/OneServerAtATime", "LogOn/NoConnection", "Callbacks/OnlyInRunCallbacks"},
			[]string{"LogOn/Anonymous", "Auth/Verdicts", "Lifecycle/ServersAreIndependent", "Queries/Info"}},
		{"everything", all,
			[]string{"Rules/StringLimits", "LogOn/Anonymous", "Auth/Verdicts", "Auth/AlreadyUsedElsewhere",
				"Lifecycle/ServersAreIndependent", "Queries/Info", "Calls/PlayerCompat"},
			[]string{"LogOn/NoConnection", "Lifecycle/OneServerAtATime"}},
		{"connection, one server", steamgs.Capabilities{SteamConnection: true},
			[]string{"Auth/Verdicts", "Lifecycle/OneServerAtATime"},
			[]string{"Auth/AlreadyUsedElsewhere", "Queries/Info"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cases := steamgstest.Cases(tt.caps)
			for _, c := range tt.has {
				if !slices.Contains(cases, c) {
					t.Errorf("Cases lacks %s", c)
				}
			}
			for _, c := range tt.lack {
				if slices.Contains(cases, c) {
					t.Errorf("Cases has %s, which does not apply", c)
				}
			}
			seen := map[string]bool{}
			for _, c := range cases {
				if seen[c] {
					t.Errorf("case %s listed twice", c)
				}
				seen[c] = true
			}
		})
	}
	if n, all := len(steamgstest.Cases(steamgs.Capabilities{})), len(steamgstest.Cases(all)); n >= all {
		t.Errorf("%d cases without a connection, %d with everything", n, all)
	}
}

// faultEnv names the fault TestFaultyBackEnd injects when the test binary
// runs itself.
const faultEnv = "STEAMGSTEST_FAULT"

// TestFaultyBackEnd is the helper process of TestSuiteCatchesFaults: when
// faultEnv is set it runs the suite against a nullBackend with that fault,
// and must fail. Otherwise it checks nothing.
func TestFaultyBackEnd(t *testing.T) {
	fault := os.Getenv(faultEnv)
	if fault == "" {
		return
	}
	steamgstest.Run(t, steamgstest.Harness{New: func(t *testing.T) (steamgs.Backend, steamgstest.Steam) {
		return &nullBackend{fault: fault}, nil
	}})
}

// TestSuiteCatchesFaults checks that the suite fails back ends that break a
// rule, naming what they broke.
func TestSuiteCatchesFaults(t *testing.T) {
	tests := []struct {
		fault string
		want  []string
	}{
		{"connects", []string{"--- FAIL: TestFaultyBackEnd/LogOn/NoConnection", "ServerConnected without a Steam connection arrived"}},
		{"pointer", []string{"--- FAIL: TestFaultyBackEnd/LogOn/NoConnection", "not one of steamgs's callback types"}},
		{"failure OK", []string{"--- FAIL: TestFaultyBackEnd/LogOn/NoConnection", "a log-on failure with ResultOK"}},
		{"goroutine", []string{"--- FAIL: TestFaultyBackEnd/LogOn/NoConnection", "not on goroutine"}},
		{"late", []string{"--- FAIL: TestFaultyBackEnd/", "delivered outside RunCallbacks"}},
		{"logged on", []string{"--- FAIL: TestFaultyBackEnd/Lifecycle/NotLoggedOn"}},
		{"query port", []string{"--- FAIL: TestFaultyBackEnd/Lifecycle/QueryPortShared", "want QueryPortShared"}},
	}
	for _, tt := range tests {
		t.Run(tt.fault, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestFaultyBackEnd$", "-test.v")
			cmd.Env = append(os.Environ(), faultEnv+"="+tt.fault)
			out, err := cmd.CombinedOutput()
			var exit *exec.ExitError
			if !errors.As(err, &exit) {
				t.Fatalf("the suite passed a back end with fault %q (%v):\n%s", tt.fault, err, out)
			}
			for _, w := range tt.want {
				if !strings.Contains(string(out), w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}
