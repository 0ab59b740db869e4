package local

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"net/netip"
	"slices"
	"sync"
	"time"

	"github.com/steamgs/steamgs/steamgs"
)

// Defaults of [Options].
const (
	// DefaultTicketLifetime is how long a ticket is valid when
	// Options.TicketLifetime is zero.
	DefaultTicketLifetime = time.Hour
	// DefaultRetryInterval is how often a server that lost its connection
	// tries again when Options.RetryInterval is zero.
	DefaultRetryInterval = 10 * time.Second
)

// KeySize is the length of a universe key: an ed25519 seed.
const KeySize = ed25519.SeedSize

// Options configure a [Universe]. The zero value is a universe with a random
// key, the wall clock, no latency and one-hour tickets.
type Options struct {
	// Key is the universe's 32-byte ed25519 seed (KeySize). Universes made
	// with the same key, in one process or many, accept each other's
	// tickets and give a log-on token the same game server Steam ID. Nil
	// makes a random key. See KeyFromPassphrase.
	Key []byte
	// Clock is where time is read; nil means WallClock().
	Clock Clock
	// Latency delays log-on answers, auth verdicts and call results; zero
	// answers them on the next RunCallbacks. SetLatency changes it later.
	Latency time.Duration
	// TicketLifetime is how long tickets stay valid after they are made;
	// zero means DefaultTicketLifetime.
	TicketLifetime time.Duration
	// RetryInterval is the time between log-on retries while the
	// connection is down (see DropConnection); zero means
	// DefaultRetryInterval.
	RetryInterval time.Duration
	// PublicIP is the IPv4 address servers report from PublicIP. The zero
	// value reports the address a server was opened on, or 127.0.0.1 when
	// it was opened on every interface.
	PublicIP netip.Addr
	// QueryRateLimit is the number of A2S packets a server answers from one
	// source IP per 200 ms, on its query port or the shared game socket;
	// zero means query.DefaultRateLimit and a negative value means no
	// limit. All sources together get query.DefaultTotalFactor times as
	// many before each is held to its fair share of them (see
	// query.LimiterConfig.Total).
	QueryRateLimit int
	// QueryRateLimitByPort counts each source address and port against
	// QueryRateLimit on its own, rather than each IP (see
	// query.LimiterConfig.ByPort): for sources that share an IP, such as
	// load tests whose clients are all on 127.0.0.1.
	QueryRateLimitByPort bool
}

// KeyFromPassphrase derives a universe key from a passphrase (SHA-256 with a
// fixed prefix), so that processes given the same passphrase, say by a
// command-line flag, open the same universe. A passphrase is not a secret
// key: anyone who knows it can forge tickets.
func KeyFromPassphrase(s string) []byte {
	h := sha256.New()
	h.Write([]byte("steamgs/local universe key\x00"))
	h.Write([]byte(s))
	return h.Sum(nil)
}

// Universe is one emulated Steam: accounts with licences and bans, groups,
// log-on tokens, a signing key for auth tickets, a clock and the faults to
// inject. It implements [steamgs.Backend]: [Universe.Open] makes a game server
// (a *Server) and there may be many per universe. A Universe is safe for
// concurrent use: clients on other goroutines make tickets and tests inject
// faults while servers run. Make one with [NewUniverse].
type Universe struct {
	priv      ed25519.PrivateKey
	pub       ed25519.PublicKey
	clock     Clock
	lifetime  time.Duration
	retry     time.Duration
	publicIP  netip.Addr
	rateLimit int
	byPort    bool
	// anonInstance is the instance of the anonymous game server IDs this
	// universe hands out: random, so that processes sharing a key differ.
	anonInstance uint32

	mu      sync.Mutex
	latency time.Duration
	refuse  steamgs.Result
	// The connection is down from outageStart to outageEnd (Unix ns).
	outageStart, outageEnd int64
	users                  map[steamgs.SteamID]*account
	groups                 map[steamgs.SteamID]*group
	tokens                 map[string]TokenState
	banned                 map[steamgs.SteamID]struct{} // VAC bans of users the universe does not know
	elsewhere              map[steamgs.SteamID]int64    // last LogInElsewhere, Unix ns
	issued                 map[handleKey]issuedTicket
	used                   map[ticketKey]int64 // tickets BeginAuthSession took, to their expiry
	stats                  map[steamgs.SteamID]*gameplay
	rep                    map[steamgs.SteamID]Reputation
	servers                []*Server
	// pruneIssued and pruneUsed are the map sizes at which expired
	// entries are next swept out.
	pruneIssued, pruneUsed int
	nextHandle             uint32
	nextCall               uint64
	nextAnonServer         uint32
	nextAnonUser           uint32
}

// NewUniverse makes a universe. A key that is not KeySize bytes, or a
// negative duration, is refused with an error matching steamgs.ErrOutOfRange;
// a PublicIP that is not IPv4 with one matching steamgs.ErrInvalidAddress.
func NewUniverse(opts Options) (*Universe, error) {
	seed := opts.Key
	if seed == nil {
		seed = make([]byte, KeySize)
		rand.Read(seed)
	} else if len(seed) != KeySize {
		return nil, fmt.Errorf("steamgs/local: key is %d bytes, want %d: %w", len(seed), KeySize, steamgs.ErrOutOfRange)
	}
	for _, d := range [...]struct {
		name string
		v    time.Duration
	}{{"latency", opts.Latency}, {"ticket lifetime", opts.TicketLifetime}, {"retry interval", opts.RetryInterval}} {
		if d.v < 0 {
			return nil, fmt.Errorf("steamgs/local: %s is %v, want 0 or more: %w", d.name, d.v, steamgs.ErrOutOfRange)
		}
	}
	if opts.PublicIP.IsValid() && !opts.PublicIP.Unmap().Is4() {
		return nil, fmt.Errorf("steamgs/local: public IP %s is not an IPv4 address: %w", opts.PublicIP, steamgs.ErrInvalidAddress)
	}
	priv := ed25519.NewKeyFromSeed(seed)
	u := &Universe{
		priv:      priv,
		pub:       priv.Public().(ed25519.PublicKey),
		clock:     opts.Clock,
		lifetime:  opts.TicketLifetime,
		retry:     opts.RetryInterval,
		publicIP:  opts.PublicIP.Unmap(),
		rateLimit: opts.QueryRateLimit,
		byPort:    opts.QueryRateLimitByPort,
		latency:   opts.Latency,
		refuse:    steamgs.ResultOK,
		users:     make(map[steamgs.SteamID]*account),
		groups:    make(map[steamgs.SteamID]*group),
		tokens:    make(map[string]TokenState),
		banned:    make(map[steamgs.SteamID]struct{}),
		elsewhere: make(map[steamgs.SteamID]int64),
		issued:    make(map[handleKey]issuedTicket),
		used:      make(map[ticketKey]int64),
		stats:     make(map[steamgs.SteamID]*gameplay),
		rep:       make(map[steamgs.SteamID]Reputation),
	}
	if u.clock == nil {
		u.clock = WallClock()
	}
	if u.lifetime == 0 {
		u.lifetime = DefaultTicketLifetime
	}
	if u.retry == 0 {
		u.retry = DefaultRetryInterval
	}
	var r [4]byte
	rand.Read(r[:])
	u.anonInstance = 1 + binary.LittleEndian.Uint32(r[:])%(1<<20-1)
	return u, nil
}

// Capabilities reports that servers of a universe connect to (the embedded)
// Steam, that many may run in one process, and that they answer A2S queries;
// they keep no memory per thread.
func (u *Universe) Capabilities() steamgs.Capabilities {
	return steamgs.Capabilities{SteamConnection: true, MultipleServers: true, Queries: true}
}

// now returns the clock's time in Unix nanoseconds.
func (u *Universe) now() int64 { return u.clock.Now().UnixNano() }

// deriveAccount returns a non-zero 31-bit account number derived from the
// universe's public key, a domain and a name.
func (u *Universe) deriveAccount(domain, name string) uint32 {
	h := sha256.New()
	h.Write(u.pub)
	h.Write([]byte(domain))
	h.Write([]byte{0})
	h.Write([]byte(name))
	var sum [sha256.Size]byte
	n := binary.LittleEndian.Uint32(h.Sum(sum[:0])) & 0x7FFFFFFF
	if n == 0 {
		n = 1
	}
	return n
}

// Open opens a game server on the universe (the SDK's SteamGameServer_Init);
// steamgs.Server calls it from Init with a checked cfg. It binds the query
// port (cfg.QueryPort; 0 picks a free port) on cfg.IP, or shares the game
// socket when cfg.QueryPort is steamgs.QueryPortShared. The result is a
// *Server.
func (u *Universe) Open(cfg steamgs.Config) (steamgs.Conn, error) {
	s, err := newServer(u, cfg)
	if err != nil {
		return nil, err
	}
	u.mu.Lock()
	u.servers = append(u.servers, s)
	u.mu.Unlock()
	return s, nil
}

// removeServer forgets s.
func (u *Universe) removeServerLocked(s *Server) {
	if i := slices.Index(u.servers, s); i >= 0 {
		u.servers = slices.Delete(u.servers, i, i+1)
	}
}
