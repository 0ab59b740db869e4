package steamlibtest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestCachePath(t *testing.T) {
	t.Setenv("HOME", "/home/someone")
	assert.Equal(t, "/home/someone/.cache/steamgs/steam-lib/libsteam_api.so", CachePath())
}

// fakeTB records Skip and Fatal instead of ending a test.
type fakeTB struct {
	testing.TB
	skipped, failed bool
	msg             string
}

func (f *fakeTB) Helper() {}
func (f *fakeTB) Skip(args ...any) {
	f.skipped = true
	f.msg = args[0].(string)
	panic(f)
}
func (f *fakeTB) Fatal(args ...any) {
	f.failed = true
	f.msg = args[0].(string)
	panic(f)
}
func (f *fakeTB) Fatalf(format string, args ...any) { f.Fatal(format) }

// call runs Path with a fakeTB.
func call() (tb *fakeTB, path string) {
	tb = &fakeTB{}
	defer func() {
		if r := recover(); r != nil && r != tb {
			panic(r)
		}
	}()
	return tb, Path(tb)
}

func TestPath(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv(EnvLibrary, "")
	t.Setenv(EnvRequire, "")

	tb, _ := call()
	assert.True(t, tb.skipped, "no library: skip")
	assert.Contains(t, tb.msg, "make steam-lib")

	t.Setenv(EnvRequire, "1")
	tb, _ = call()
	assert.True(t, tb.failed, "no library with %s=1: fail", EnvRequire)

	cached := CachePath()
	require.NoError(t, os.MkdirAll(filepath.Dir(cached), 0o755))
	require.NoError(t, os.WriteFile(cached, []byte("lib"), 0o644))
	tb, p := call()
	assert.False(t, tb.failed || tb.skipped)
	assert.Equal(t, cached, p, "the cache of make steam-lib")

	other := filepath.Join(home, "other.so")
	require.NoError(t, os.WriteFile(other, []byte("lib"), 0o644))
	t.Setenv(EnvLibrary, other)
	tb, p = call()
	assert.False(t, tb.failed || tb.skipped)
	assert.Equal(t, other, p, "%s wins", EnvLibrary)

	t.Setenv(EnvRequire, "")
	t.Setenv(EnvLibrary, filepath.Join(home, "missing.so"))
	tb, _ = call()
	assert.True(t, tb.failed, "a wrong %s fails", EnvLibrary)
	t.Setenv(EnvLibrary, home)
	tb, _ = call()
	assert.True(t, tb.failed, "a directory in %s fails", EnvLibrary)
}
