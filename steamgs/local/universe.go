package local

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"errors"
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

// ErrUnknownAccount is matched (errors.Is) by errors about a Steam ID the
// universe has no account for.
var ErrUnknownAccount = errors.New("steamgs/local: unknown account")

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
	// zero means
	// query.DefaultRateLimit and a negative value means no limit.
	QueryRateLimit int
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

// User is an account of a universe, as [Universe.AddUser] takes it.
type User struct {
	// Name is the account's name. It also seeds the account number, so
	// that processes sharing a key give a name the same Steam ID.
	Name string
	// Apps are the user's licences: the game and its DLC. Zero IDs are
	// ignored. A ticket carries at most MaxTicketLicenses of them, so a
	// user with more gets no ticket.
	Apps []steamgs.AppID
	// VACBanned marks a user banned by VAC: secure servers refuse them.
	VACBanned bool
	// PublisherBanned marks a user banned by the game's publisher: every
	// server refuses them.
	PublisherBanned bool
}

// TokenState is what a universe thinks of a game server log-on token.
type TokenState int

// Token states.
const (
	// TokenValid tokens log on.
	TokenValid TokenState = iota
	// TokenExpired tokens fail with ServerConnectFailure{ResultGSLTExpired}.
	TokenExpired
	// TokenBanned tokens fail with ServerConnectFailure{ResultGSLTDenied}.
	TokenBanned
)

// String returns "Valid", "Expired" or "Banned".
func (s TokenState) String() string {
	switch s {
	case TokenValid:
		return "Valid"
	case TokenExpired:
		return "Expired"
	case TokenBanned:
		return "Banned"
	}
	return fmt.Sprintf("TokenState(%d)", int(s))
}

// Reputation is what GetServerReputation reports for a server; see
// [Universe.SetReputation]. The zero value is a score of 0 and no ban.
type Reputation struct {
	Score      uint32
	Banned     bool
	BanExpires time.Time // when the ban ends; zero when not banned
}

// account is a user of the universe.
type account struct {
	name      string
	apps      []steamgs.AppID // ascending, distinct, non-zero
	vac       bool
	publisher bool
	// against holds the users this one recommends against.
	against map[steamgs.SteamID]struct{}
}

// group is a Steam group (clan) of the universe.
type group struct {
	name string
	// members maps each member to whether they are an officer.
	members map[steamgs.SteamID]bool
}

// handleKey names a ticket a universe issued: its owner and handle.
type handleKey struct {
	user   steamgs.SteamID
	handle steamgs.AuthTicket
}

// ticketKey names one ticket among every universe's tickets.
type ticketKey struct {
	user   steamgs.SteamID
	handle steamgs.AuthTicket
	issued int64
}

// Ticket states of tickets a universe issued.
const (
	issuedLive uint8 = iota
	issuedCanceled
	issuedElsewhere
)

// issuedTicket is the record of a ticket the universe issued.
type issuedTicket struct {
	issued, expires int64
	state           uint8
}

// gameplay is the universe's record of one game server account.
type gameplay struct {
	connects uint32
	played   time.Duration
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
// Steam, that many may run in one process, and that they answer A2S queries.
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

// AddUser adds an account and returns its Steam ID, an individual [U:1:N].
// N is derived from the key and the name, so processes sharing a key agree on
// it; adding a name again makes another account with the next free number.
func (u *Universe) AddUser(user User) steamgs.SteamID {
	apps := normalizeApps(user.Apps)
	u.mu.Lock()
	defer u.mu.Unlock()
	n := u.deriveAccount("user", user.Name)
	id := steamgs.IndividualID(n)
	for u.users[id] != nil {
		n = n%0x7FFFFFFF + 1
		id = steamgs.IndividualID(n)
	}
	u.users[id] = &account{name: user.Name, apps: apps, vac: user.VACBanned, publisher: user.PublisherBanned}
	return id
}

// normalizeApps returns a sorted copy of apps without duplicates or zeros.
func normalizeApps(apps []steamgs.AppID) []steamgs.AppID {
	out := make([]steamgs.AppID, 0, len(apps))
	for _, a := range apps {
		if a != 0 {
			out = append(out, a)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// User returns the account of id as AddUser took it, with its current
// licences and bans (including bans by BanUser), and whether id is an
// account of this universe.
func (u *Universe) User(id steamgs.SteamID) (User, bool) {
	u.mu.Lock()
	defer u.mu.Unlock()
	a := u.users[id]
	if a == nil {
		return User{}, false
	}
	return User{Name: a.name, Apps: slices.Clone(a.apps), VACBanned: a.vac, PublisherBanned: a.publisher}, true
}

// userLocked returns the account of id, or an error naming id.
func (u *Universe) userLocked(what string, id steamgs.SteamID) (*account, error) {
	if id.Type() != steamgs.AccountTypeIndividual || !id.IsValid() {
		return nil, fmt.Errorf("steamgs/local: %s %s is not an individual account: %w", what, id, steamgs.ErrInvalidSteamID)
	}
	a := u.users[id]
	if a == nil {
		return nil, fmt.Errorf("steamgs/local: %s %s is not an account of this universe (see AddUser): %w", what, id, ErrUnknownAccount)
	}
	return a, nil
}

// GrantLicense gives user licences for apps (a game or DLC). App ID 0 is
// refused (steamgs.ErrOutOfRange), and so are licences past
// MaxTicketLicenses (steamgs.ErrTooLarge); an unknown user gets an error
// matching ErrUnknownAccount.
func (u *Universe) GrantLicense(user steamgs.SteamID, apps ...steamgs.AppID) error {
	for i, a := range apps {
		if a == 0 {
			return fmt.Errorf("steamgs/local: app ID %d of %d is 0, which no app has: %w", i+1, len(apps), steamgs.ErrOutOfRange)
		}
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	acct, err := u.userLocked("user", user)
	if err != nil {
		return err
	}
	all := normalizeApps(append(slices.Clone(acct.apps), apps...))
	if len(all) > MaxTicketLicenses {
		return fmt.Errorf("steamgs/local: user %s would hold %d licences, limit %d (what a ticket carries): %w",
			user, len(all), MaxTicketLicenses, steamgs.ErrTooLarge)
	}
	acct.apps = all
	return nil
}

// RevokeLicense takes the licence for app away from user. Sessions begun
// afterwards end in AuthNoLicenseOrExpired, and UserHasLicenseForApp answers
// DoesNotHaveLicense. Revoking a licence the user does not hold does nothing.
func (u *Universe) RevokeLicense(user steamgs.SteamID, app steamgs.AppID) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	acct, err := u.userLocked("user", user)
	if err != nil {
		return err
	}
	if i, ok := slices.BinarySearch(acct.apps, app); ok {
		acct.apps = slices.Delete(slices.Clone(acct.apps), i, i+1)
	}
	return nil
}

// AddGroup adds a Steam group and returns its Steam ID, a clan [g:1:N], N
// derived from the key and the name as for AddUser.
func (u *Universe) AddGroup(name string) steamgs.SteamID {
	u.mu.Lock()
	defer u.mu.Unlock()
	n := u.deriveAccount("group", name)
	id := steamgs.ClanID(n)
	for u.groups[id] != nil {
		n = n%0x7FFFFFFF + 1
		id = steamgs.ClanID(n)
	}
	u.groups[id] = &group{name: name, members: make(map[steamgs.SteamID]bool)}
	return id
}

// SetGroupMember sets whether user is a member of group and whether an
// officer; an officer is always a member, so officer true makes user a
// member whatever member says. Both must be accounts of the universe
// (ErrUnknownAccount).
func (u *Universe) SetGroupMember(user, group steamgs.SteamID, member, officer bool) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	if _, err := u.userLocked("user", user); err != nil {
		return err
	}
	g := u.groups[group]
	if g == nil {
		return fmt.Errorf("steamgs/local: group %s is not a group of this universe (see AddGroup): %w", group, ErrUnknownAccount)
	}
	if member || officer {
		g.members[user] = officer
	} else {
		delete(g.members, user)
	}
	return nil
}

// SetRecommendsAgainst records that from recommends against playing with
// about, which ComputeNewPlayerCompatibility counts. Both must be accounts of
// the universe (ErrUnknownAccount), and different.
func (u *Universe) SetRecommendsAgainst(from, about steamgs.SteamID) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	a, err := u.userLocked("user", from)
	if err != nil {
		return err
	}
	if _, err := u.userLocked("user", about); err != nil {
		return err
	}
	if from == about {
		return fmt.Errorf("steamgs/local: user %s cannot recommend against themself: %w", from, steamgs.ErrInvalidSteamID)
	}
	if a.against == nil {
		a.against = make(map[steamgs.SteamID]struct{})
	}
	a.against[about] = struct{}{}
	return nil
}

// AddToken records a game server log-on token and its state; adding it
// again changes the state for later log-ons. LogOn with a token the universe
// does not know fails with ServerConnectFailure{ResultInvalidParam}.
func (u *Universe) AddToken(token string, state TokenState) {
	u.mu.Lock()
	u.tokens[token] = state
	u.mu.Unlock()
}

// TokenSteamID returns the Steam ID a server logged on with token gets: a
// persistent game server [G:1:N], N derived from the key and the token, the
// same in every process that shares the key.
func (u *Universe) TokenSteamID(token string) steamgs.SteamID {
	return steamgs.NewSteamID(steamgs.UniversePublic, steamgs.AccountTypeGameServer, 0, u.deriveAccount("token", token))
}

// SetReputation sets what GetServerReputation reports for the game server
// account server (as SteamID reports it).
func (u *Universe) SetReputation(server steamgs.SteamID, r Reputation) {
	u.mu.Lock()
	u.rep[server] = r
	u.mu.Unlock()
}

// callLocked returns a fresh APICall handle.
func (u *Universe) callLocked() steamgs.APICall {
	u.nextCall++
	return steamgs.APICall(u.nextCall)
}

// handleLocked returns a fresh ticket handle.
func (u *Universe) handleLocked() steamgs.AuthTicket {
	u.nextHandle++
	if u.nextHandle == 0 {
		u.nextHandle = 1
	}
	return steamgs.AuthTicket(u.nextHandle)
}

// vacBannedLocked reports whether the universe's records say user is
// VAC-banned.
func (u *Universe) vacBannedLocked(user steamgs.SteamID, acct *account) bool {
	if acct != nil && acct.vac {
		return true
	}
	_, ok := u.banned[user]
	return ok
}

// recordIssuedLocked records a ticket the universe issued.
func (u *Universe) recordIssuedLocked(t *Ticket, now int64) {
	u.recordLocked(handleKey{t.User, t.Handle}, issuedTicket{issued: t.Issued.UnixNano(), expires: t.Expires.UnixNano()}, now)
}

// recordLocked records the ticket k, sweeping expired records out now and
// then so that the table stays bounded.
func (u *Universe) recordLocked(k handleKey, rec issuedTicket, now int64) {
	if len(u.issued) >= u.pruneIssued {
		for k, v := range u.issued {
			if v.expires <= now {
				delete(u.issued, k)
			}
		}
		u.pruneIssued = 2*len(u.issued) + 256
	}
	u.issued[k] = rec
}

// markUsedLocked records that BeginAuthSession took the ticket k, and reports
// whether it had already been taken.
func (u *Universe) markUsedLocked(k ticketKey, expires, now int64) bool {
	if _, ok := u.used[k]; ok {
		return true
	}
	if len(u.used) >= u.pruneUsed {
		for k, exp := range u.used {
			if exp <= now {
				delete(u.used, k)
			}
		}
		u.pruneUsed = 2*len(u.used) + 256
	}
	u.used[k] = expires
	return false
}

// GetAuthSessionTicket makes an auth ticket for user to present to a server
// of app, as a Steam client does with ISteamUser::GetAuthSessionTicket. forID
// is the server the ticket is for (its Steam ID, or its IP and game port);
// the zero Identity makes a ticket any server accepts. The ticket carries the
// universe's claims about the user (licences, bans) and expires after the
// ticket lifetime. user must be an account of the universe
// (ErrUnknownAccount); app is not 0; forID sets at most one field and a
// generic identity is 1 to 31 bytes without NUL.
func (u *Universe) GetAuthSessionTicket(user steamgs.SteamID, app steamgs.AppID, forID steamgs.Identity) (steamgs.AuthTicket, []byte, error) {
	if app == 0 {
		return 0, nil, fmt.Errorf("steamgs/local: app ID is 0, which no app has: %w", steamgs.ErrOutOfRange)
	}
	if err := checkIdentity(forID); err != nil {
		return 0, nil, err
	}
	now := u.clock.Now()
	u.mu.Lock()
	acct, err := u.userLocked("user", user)
	if err != nil {
		u.mu.Unlock()
		return 0, nil, err
	}
	if len(acct.apps) > MaxTicketLicenses {
		u.mu.Unlock()
		return 0, nil, fmt.Errorf("steamgs/local: user %s holds %d licences, limit %d: %w", user, len(acct.apps), MaxTicketLicenses, steamgs.ErrTooLarge)
	}
	t := Ticket{
		User:            user,
		App:             app,
		Handle:          u.handleLocked(),
		Issued:          now,
		Expires:         now.Add(u.lifetime),
		For:             forID,
		VACBanned:       u.vacBannedLocked(user, acct),
		PublisherBanned: acct.publisher,
		Licenses:        acct.apps, // never modified in place
	}
	u.recordIssuedLocked(&t, now.UnixNano())
	u.mu.Unlock()
	return t.Handle, signTicket(u.priv, &t), nil
}

// checkIdentity checks the identity a ticket is made for.
func checkIdentity(id steamgs.Identity) error {
	set := 0
	if id.SteamID != 0 {
		set++
		if !id.SteamID.IsValid() {
			return fmt.Errorf("steamgs/local: identity Steam ID %d is not a valid Steam ID: %w", uint64(id.SteamID), steamgs.ErrInvalidSteamID)
		}
	}
	if id.Addr.IsValid() {
		set++
	}
	if id.Generic != "" {
		set++
		if len(id.Generic) > steamgs.MaxGenericIdentityLen {
			return fmt.Errorf("steamgs/local: generic identity is %d bytes, limit %d: %w", len(id.Generic), steamgs.MaxGenericIdentityLen, steamgs.ErrTooLong)
		}
		for i := 0; i < len(id.Generic); i++ {
			if id.Generic[i] == 0 {
				return fmt.Errorf("steamgs/local: generic identity holds a NUL byte at %d: %w", i, steamgs.ErrInvalidString)
			}
		}
	}
	if set > 1 {
		return fmt.Errorf("steamgs/local: identity sets %d of SteamID, Addr and Generic, want at most 1: %w", set, steamgs.ErrOutOfRange)
	}
	return nil
}

// CancelAuthTicket cancels a ticket that GetAuthSessionTicket made for user,
// as a Steam client does when the player leaves: sessions begun with it get
// ValidateAuthTicketResponse{AuthTicketCanceled}, and so does any later
// BeginAuthSession with it. A handle the universe did not issue for user is
// ignored.
func (u *Universe) CancelAuthTicket(user steamgs.SteamID, ticket steamgs.AuthTicket) {
	now := u.now()
	u.mu.Lock()
	u.cancelLocked(user, ticket, now)
	u.mu.Unlock()
}

// cancelLocked cancels the ticket of user with handle h and tells the
// sessions that use it.
func (u *Universe) cancelLocked(user steamgs.SteamID, h steamgs.AuthTicket, now int64) {
	k := handleKey{user, h}
	rec, ok := u.issued[k]
	if !ok || rec.state == issuedCanceled {
		return
	}
	rec.state = issuedCanceled
	u.issued[k] = rec
	tk := ticketKey{user, h, rec.issued}
	for _, s := range u.servers {
		s.ticketCanceledLocked(tk, now)
	}
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
