package steamworks

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"structs"
	"unsafe"

	"github.com/ebitengine/purego"
	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/internal/text"
)

// errMsgSize is sizeof(SteamErrMsg), the buffer Init_V2 writes its message to.
const errMsgSize = 1024

// maxCallbackSize bounds the payload size this package accepts from the
// dispatcher; the largest game server callback is under 200 bytes.
const maxCallbackSize = 1 << 20

// callbackMsg is CallbackMsg_t, which GetNextCallback fills in: the user
// handle @0, the callback ID @4, a pointer to the payload @8 and its size
// @16. The offsets are the same under pack 4 (20 bytes) and pack 8 (24).
// The payload itself is read as bytes, never through a Go struct.
type callbackMsg struct {
	_     structs.HostLayout
	user  int32
	id    int32
	param unsafe.Pointer // C memory, valid until FreeLastCallback
	size  int32
	_     int32
}

// conn is one game server of a Library: the steamgs.Conn that Library.Open
// returns. Every out parameter and string buffer the C side writes or reads
// lives in it and is reused, so calls do not allocate beyond purego's own
// argument slice.
type conn struct {
	lib       *Library
	sym       *symbols
	self      uintptr // ISteamGameServer*; 0 once shut down
	pipe      uintptr // the game server's HSteamPipe
	queryPort uint16
	pack      int

	str       [2][]byte // reusable NUL-terminated strings
	ident     [identitySize]byte
	msg       callbackMsg
	result    []byte // call results fetched with GetAPICallResult
	failed    bool   // GetAPICallResult's I/O failure flag
	ticketLen uint32
	outIP     uint32
	outPort   uint16
	steamID   uint64
	ip        steamIPAddress // GetPublicIP's result (see getPublicIP)

	// kv is the key/values last sent to libsteam_api, which Apply sends the
	// difference from; keys is Apply's reusable list of keys to send.
	kv   map[string]string
	keys []string
	// restarts counts the times WasRestartRequested returned true.
	restarts uint64

	drops dropCounts // callbacks received but not delivered
}

// cbool converts a Go bool to a C bool argument.
func cbool(b bool) uintptr {
	if b {
		return 1
	}
	return 0
}

// isTrue reads a C bool result, which only defines the low byte.
func isTrue(r uintptr) bool { return byte(r) != 0 }

// cstr copies s into the i'th reusable buffer, followed by a NUL, and
// returns its first byte. The buffer stays valid until the next cstr(i).
func (c *conn) cstr(i int, s string) *byte {
	b := append(c.str[i][:0], s...)
	b = append(b, 0)
	c.str[i] = b
	return &b[0]
}

// Open initializes the process's game server through
// SteamInternal_GameServer_Init_V2 (what the SDK's SteamGameServer_InitEx
// does), with the interface versions of InterfaceVersions. When cfg.AppID is
// not zero it first sets the environment variables SteamAppId and
// SteamGameId, where libsteam_api reads the app ID; they stay set. A refusal
// is a *steamgs.InitError with Steam's result and message. While a server of
// any Library runs, Open returns an error matching steamgs.ErrInUse:
// libsteam_api holds one game server per process.
func (l *Library) Open(cfg steamgs.Config) (steamgs.Conn, error) {
	process.mu.Lock()
	defer process.mu.Unlock()
	if process.running {
		return nil, fmt.Errorf("steamworks: a game server already runs in this process, and libsteam_api holds one; shut it down first: %w",
			steamgs.ErrInUse)
	}
	if cfg.AppID != 0 {
		id := strconv.FormatUint(uint64(cfg.AppID), 10)
		for _, name := range [...]string{"SteamAppId", "SteamGameId"} {
			if err := os.Setenv(name, id); err != nil {
				return nil, fmt.Errorf("steamworks: setting %s=%s for libsteam_api: %w", name, id, err)
			}
		}
	}
	c := &conn{lib: l, sym: &l.sym, queryPort: cfg.QueryPort, pack: l.pack, result: make([]byte, 64)}
	version := c.cstr(0, cfg.Version)
	errMsg := make([]byte, errMsgSize)
	r, _, _ := purego.SyscallN(l.sym.initV2,
		uintptr(ipv4ToHost(cfg.IP)), uintptr(cfg.GamePort), uintptr(cfg.QueryPort), uintptr(uint32(cfg.Mode)),
		uintptr(unsafe.Pointer(version)), uintptr(unsafe.Pointer(&l.versionList[0])), uintptr(unsafe.Pointer(&errMsg[0])))
	if res := steamgs.InitResult(int32(r)); res != steamgs.InitOK {
		return nil, &steamgs.InitError{Result: res, Message: strings.TrimSpace(text.CString(errMsg, errMsgSize-1))}
	}
	self, _, _ := purego.SyscallN(l.sym.gameServer)
	if self == 0 {
		purego.SyscallN(l.sym.shutdown)
		return nil, &steamgs.InitError{Result: steamgs.InitFailedGeneric,
			Message: "SteamAPI_SteamGameServer_v015 returned NULL after a successful init"}
	}
	pipe, _, _ := purego.SyscallN(l.sym.getPipe)
	if !process.dispatching[l.handle] {
		purego.SyscallN(l.sym.dispatchInit)
		if process.dispatching == nil {
			process.dispatching = make(map[uintptr]bool)
		}
		process.dispatching[l.handle] = true
	}
	c.self, c.pipe = self, uintptr(uint32(pipe))
	process.running = true
	return c, nil
}

// Close implements steamgs.Conn: it ends the game server
// (SteamGameServer_Shutdown) and lets the process start another one. A
// second Close does nothing.
func (c *conn) Close() error {
	process.mu.Lock()
	defer process.mu.Unlock()
	if c.self == 0 {
		return nil
	}
	purego.SyscallN(c.sym.shutdown)
	c.self = 0
	process.running = false
	return nil
}

// RunCallbacks pumps the game server's pipe by manual dispatch: RunFrame,
// then GetNextCallback until it reports none, fetching the payload of each
// SteamAPICallCompleted with GetAPICallResult. Each callback is decoded
// from its bytes and freed before emit sees it. One that cannot be
// delivered (an unknown ID, a payload that does not decode, a call result
// libsteam_api does not hand over) is counted (see DroppedCallbacks), and
// the first of each ID and kind logged, instead.
func (c *conn) RunCallbacks(emit func(steamgs.Callback)) {
	if c.self == 0 {
		return
	}
	if emit == nil {
		emit = func(steamgs.Callback) {}
	}
	purego.SyscallN(c.sym.dispatchRunFrame, c.pipe)
	for c.self != 0 {
		r, _, _ := purego.SyscallN(c.sym.dispatchNext, c.pipe, uintptr(unsafe.Pointer(&c.msg)))
		if !isTrue(r) {
			return
		}
		cb, ok := c.takeCallback()
		purego.SyscallN(c.sym.dispatchFree, c.pipe)
		if ok {
			emit(cb)
		}
	}
}

// takeCallback decodes the callback in c.msg, counting it as dropped when
// it does not decode.
func (c *conn) takeCallback() (steamgs.Callback, bool) {
	id, size := int(c.msg.id), int(c.msg.size)
	if size < 0 || size > maxCallbackSize || size > 0 && c.msg.param == nil {
		c.drop(id, size)
		return nil, false
	}
	var data []byte
	if size > 0 {
		data = unsafe.Slice((*byte)(c.msg.param), size)
	}
	if id != idAPICallCompleted {
		cb, ok := decodeCallback(id, data, c.pack, 0)
		if !ok {
			c.drop(id, size)
		}
		return cb, ok
	}
	done, ok := decodeCallCompleted(data)
	if !ok || done.size < 0 || done.size > maxCallbackSize {
		c.drop(id, size)
		return nil, false
	}
	cb, ok := c.takeCallResult(done)
	if !ok {
		c.drop(done.id, done.size)
	}
	return cb, ok
}

// takeCallResult fetches the result that done announces with
// GetAPICallResult and decodes it.
func (c *conn) takeCallResult(done callCompleted) (steamgs.Callback, bool) {
	if cap(c.result) < done.size {
		c.result = make([]byte, done.size)
	}
	c.failed = false
	buf := c.result[:cap(c.result)]
	r, _, _ := purego.SyscallN(c.sym.dispatchCallResult, c.pipe, uintptr(done.call),
		uintptr(unsafe.Pointer(&buf[0])), uintptr(done.size), uintptr(done.id), uintptr(unsafe.Pointer(&c.failed)))
	if !isTrue(r) {
		return nil, false
	}
	if c.failed {
		return failedCallResult(done.id, done.call)
	}
	return decodeCallback(done.id, buf[:done.size], c.pack, done.call)
}

// ReleaseThreadMemory calls SteamAPI_ReleaseCurrentThreadMemory.
func (c *conn) ReleaseThreadMemory() {
	purego.SyscallN(c.sym.releaseThreadMemory)
}
