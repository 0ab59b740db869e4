package steamworks

import (
	"testing"

	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/steamgstest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestConformance runs the steamgs conformance suite against a Library over
// the fake libsteam_api, declared Offline: a back end with no Steam
// connection (log-on fails with ServerConnectFailure{NoConnection}), no
// server queries and one server per process.
func TestConformance(t *testing.T) {
	steamgstest.Run(t, steamgstest.Harness{New: func(t *testing.T) (steamgs.Backend, steamgstest.Steam) {
		lib, err := OpenWith(fakeLibrary(t), Options{Offline: true})
		require.NoError(t, err)
		f := openFake(t, lib.Path())
		f.reset(true)
		t.Cleanup(func() { assert.Equal(t, "", f.protocolErrors(), "the fake saw protocol errors") })
		return lib, nil
	}})
	names := steamgstest.Cases(steamgs.Capabilities{})
	assert.NotEmpty(t, names, "the suite has no case for an offline back end")
}
