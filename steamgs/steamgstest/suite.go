package steamgstest

import (
	"testing"

	"github.com/steamgs/steamgs/steamgs"
)

// need says which back ends a case applies to.
type need func(steamgs.Capabilities) bool

// The needs of the suite's cases.
var (
	anyBackEnd   need = func(steamgs.Capabilities) bool { return true }
	connected    need = func(c steamgs.Capabilities) bool { return c.SteamConnection }
	notConnected need = func(c steamgs.Capabilities) bool { return !c.SteamConnection }
	multiple     need = func(c steamgs.Capabilities) bool { return c.MultipleServers }
	single       need = func(c steamgs.Capabilities) bool { return !c.MultipleServers }
	queries      need = func(c steamgs.Capabilities) bool { return c.Queries }
)

// testCase is one case of the suite.
type testCase struct {
	name string
	need need
	run  func(e *env)
}

// group is a named list of cases, run as one subtest.
type group struct {
	name  string
	cases []testCase
}

// groups returns the whole suite, in the order it runs.
func groups() []group {
	return []group{
		{"Rules", rulesCases()},
		{"Lifecycle", lifecycleCases()},
		{"Callbacks", callbackCases()},
		{"LogOn", logOnCases()},
		{"Auth", authCases()},
		{"Calls", callCases()},
		{"Queries", queryCases()},
	}
}

// Cases returns the names ("Group/Case") of the cases [Run] runs for a back
// end with capabilities c, in the order it runs them.
func Cases(c steamgs.Capabilities) []string {
	var names []string
	for _, g := range groups() {
		for _, tc := range g.cases {
			if tc.need(c) {
				names = append(names, g.name+"/"+tc.name)
			}
		}
	}
	return names
}

// Run runs the conformance suite against the back end that h.New opens: the
// cases of [Cases] for the back end's capabilities, each as a subtest
// "Group/Case" with a fresh back end. It first calls h.New once with t to
// read the back end's capabilities. Cases run one after another, never in
// parallel, so a back end that keeps process-wide state passes too.
func Run(t *testing.T, h Harness) {
	t.Helper()
	if h.New == nil {
		t.Fatal("steamgstest: Harness.New is nil")
	}
	if h.AppID == 0 {
		h.AppID = DefaultAppID
	}
	if h.Step <= 0 {
		h.Step = DefaultStep
	}
	if h.Rounds <= 0 {
		h.Rounds = DefaultRounds
	}
	probe, _ := h.New(t)
	if probe == nil {
		t.Fatal("steamgstest: Harness.New returned a nil Backend")
	}
	caps := probe.Capabilities()
	for _, g := range groups() {
		var run []testCase
		for _, tc := range g.cases {
			if tc.need(caps) {
				run = append(run, tc)
			}
		}
		if len(run) == 0 {
			continue
		}
		t.Run(g.name, func(t *testing.T) {
			for _, tc := range run {
				t.Run(tc.name, func(t *testing.T) {
					e := newEnv(t, h)
					if e.caps != caps {
						t.Fatalf("the back end reports capabilities %+v, but the first one reported %+v", e.caps, caps)
					}
					tc.run(e)
				})
			}
		})
	}
}
