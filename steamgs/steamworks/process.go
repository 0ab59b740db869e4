package steamworks

import "sync"

// process is the one piece of package-level state, and it mirrors state
// that libsteam_api itself keeps per process: the library holds a single
// game server (its interface pointers, its pipe, its callback queue) in
// globals, so a second SteamInternal_GameServer_Init_V2 while a server runs
// would tear the first one down, and it switches to manual dispatch once for
// good. The lock serializes the Open and Close of the servers of every Library; running
// tells whether a server is up; dispatching holds the handles of the loaded
// libraries that SteamAPI_ManualDispatch_Init has been called on.
var process struct {
	mu          sync.Mutex
	running     bool
	dispatching map[uintptr]bool
}
