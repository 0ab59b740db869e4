package steamworks

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/ebitengine/purego"
	"github.com/steamgs/steamgs/steamgs"
)

// EnvLibrary is the environment variable that names the library Locate
// returns: the path of the file, or a directory holding it.
const EnvLibrary = "STEAM_API_LIB"

// Errors of loading a library. Each error Open and Locate return wraps one
// of them (or steamgs.ErrUnsupported on a platform Valve ships no library
// for), so callers can tell them apart with errors.Is.
var (
	// ErrNotFound: no library at the locations Locate searches.
	ErrNotFound = errors.New("libsteam_api not found")
	// ErrLoad: the file exists but the system loader refused it.
	ErrLoad = errors.New("cannot load libsteam_api")
	// ErrMissingSymbol: the library lacks a function this package calls,
	// such as one from an SDK older than 1.61.
	ErrMissingSymbol = errors.New("libsteam_api lacks a symbol")
)

// Options describe a library. The zero value describes Valve's
// libsteam_api, logging to slog.Default().
type Options struct {
	// Offline declares that servers of this library never reach Steam and
	// answer no server queries, as for a stand-in for libsteam_api in
	// tests. Capabilities then reports SteamConnection and Queries false.
	Offline bool
	// Logger receives what servers of this library report on their own,
	// at level WARN: the first callback of each ID and kind that could not
	// be delivered (see the DroppedCallbacks method of the steamgs.Conn
	// that Open returns). Nil means slog.Default(), looked up at each
	// message; slog.New(slog.DiscardHandler) silences the library.
	Logger *slog.Logger
}

// Library is a loaded libsteam_api with every function this package calls
// resolved. It implements steamgs.Backend: pass it to steamgs.NewServer.
//
// A Library is safe for concurrent use and is never unloaded: libsteam_api
// keeps threads and process-wide state that outlive SteamGameServer_Shutdown,
// so unloading it would be unsafe. Load a library once per process.
type Library struct {
	path     string
	handle   uintptr
	sym      symbols
	opts     Options
	pack     int
	versions []string
	// versionList is versions as Init_V2 takes them, NUL-separated.
	versionList []byte
	// publicIP calls GetPublicIP, which returns a 20-byte struct by value:
	// purego's typed functions handle struct returns on every ABI. On amd64
	// conn.getPublicIP calls it through SyscallN instead; the tests check
	// that both agree.
	publicIP func(self uintptr) steamIPAddress
}

// Open loads the libsteam_api at path and resolves every function a game
// server calls. An empty path searches the usual locations (see Locate).
// A missing file is an error matching ErrNotFound or ErrLoad; a library
// that lacks a function is an error matching ErrMissingSymbol that names
// the library and the symbol.
func Open(path string) (*Library, error) {
	return OpenWith(path, Options{})
}

// OpenWith is Open with options.
func OpenWith(path string, opts Options) (*Library, error) {
	if !supportedPlatform(runtime.GOOS, runtime.GOARCH) {
		return nil, fmt.Errorf("steamworks: Valve ships no 64-bit libsteam_api for %s/%s (only linux, darwin and windows on amd64 or arm64): %w",
			runtime.GOOS, runtime.GOARCH, steamgs.ErrUnsupported)
	}
	if path == "" {
		p, err := Locate()
		if err != nil {
			return nil, err
		}
		path = p
	}
	h, err := loadLibrary(path)
	if err != nil {
		return nil, fmt.Errorf("steamworks: cannot load %s: %w: %w", path, ErrLoad, err)
	}
	l := &Library{path: path, handle: h, opts: opts, pack: platformPack()}
	for _, s := range l.sym.table() {
		*s.addr = lookup(h, s.name)
		if *s.addr == 0 {
			unloadLibrary(h)
			return nil, fmt.Errorf("steamworks: %s has no symbol %s (a libsteam_api of Steamworks SDK 1.61 or newer has it): %w",
				path, s.name, ErrMissingSymbol)
		}
	}
	purego.RegisterFunc(&l.publicIP, l.sym.getPublicIP)
	l.versions = interfaceVersions(func(name string) bool { return lookup(h, name) != 0 })
	l.versionList = versionList(l.versions)
	return l, nil
}

// supportedPlatform reports whether Valve ships a 64-bit libsteam_api for
// goos/goarch that purego can call, struct returns included.
func supportedPlatform(goos, goarch string) bool {
	return (goos == "linux" || goos == "darwin" || goos == "windows") && (goarch == "amd64" || goarch == "arm64")
}

// logger returns Options.Logger, or slog.Default() when it is nil.
func (l *Library) logger() *slog.Logger {
	if l.opts.Logger != nil {
		return l.opts.Logger
	}
	return slog.Default()
}

// Path returns the file the library was loaded from.
func (l *Library) Path() string { return l.path }

// InterfaceVersions returns the interface versions that Init hands to
// libsteam_api for checking, in the SDK's order, chosen to match the SDK the
// library comes from (SDK 1.61 checks "STEAMUGC_INTERFACE_VERSION020").
func (l *Library) InterfaceVersions() []string {
	return append([]string(nil), l.versions...)
}

// Capabilities reports what servers of this library can do: one server per
// process; Steam connection and server queries unless Options.Offline; and
// memory kept per calling thread (SteamAPI_ReleaseCurrentThreadMemory frees
// it).
func (l *Library) Capabilities() steamgs.Capabilities {
	return steamgs.Capabilities{
		SteamConnection: !l.opts.Offline,
		MultipleServers: false,
		Queries:         !l.opts.Offline,
		ThreadMemory:    true,
	}
}

// platformPack returns the packing of the SDK's callback structs on this
// platform: VALVE_CALLBACK_PACK_LARGE (8) on Windows, _SMALL (4) elsewhere.
func platformPack() int {
	if runtime.GOOS == "windows" {
		return 8
	}
	return 4
}

// LibraryNames returns the file names of libsteam_api on this platform, in
// the order Locate tries them: libsteam_api.so and libsteam_api64.so on
// Linux, libsteam_api.dylib on macOS, steam_api64.dll on Windows.
func LibraryNames() []string {
	switch runtime.GOOS {
	case "windows":
		return []string{"steam_api64.dll"}
	case "darwin":
		return []string{"libsteam_api.dylib"}
	default:
		return []string{"libsteam_api.so", "libsteam_api64.so"}
	}
}

// Locate finds libsteam_api. When the environment variable STEAM_API_LIB is
// set, it names the library file or a directory holding it, and nothing else
// is searched. Otherwise Locate looks in the directory of the running
// executable, then in the working directory, for each of LibraryNames. The
// error matches ErrNotFound and lists the paths tried.
func Locate() (string, error) {
	var dirs []string
	if env := os.Getenv(EnvLibrary); env != "" {
		fi, err := os.Stat(env)
		switch {
		case err == nil && !fi.IsDir():
			return env, nil
		case err == nil:
			dirs = []string{env}
		default:
			return "", fmt.Errorf("steamworks: %s=%s names no file: %w", EnvLibrary, env, ErrNotFound)
		}
	} else {
		if exe, err := os.Executable(); err == nil {
			dirs = append(dirs, filepath.Dir(exe))
		}
		if wd, err := os.Getwd(); err == nil {
			dirs = append(dirs, wd)
		}
	}
	var tried []string
	for _, dir := range dirs {
		for _, name := range LibraryNames() {
			p := filepath.Join(dir, name)
			if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
				return p, nil
			}
			tried = append(tried, p)
		}
	}
	return "", fmt.Errorf("steamworks: no libsteam_api found (tried %s; set %s to its path): %w",
		strings.Join(tried, ", "), EnvLibrary, ErrNotFound)
}
