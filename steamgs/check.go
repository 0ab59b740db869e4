package steamgs

import (
	"fmt"
	"github.com/steamgs/steamgs/steamgs/internal/text"
	"net/netip"
	"strings"
)

// argError is an error about an argument: a message naming the value and the
// limit, matching a sentinel with errors.Is.
type argError struct {
	msg      string
	sentinel error
}

func (e *argError) Error() string { return e.msg }
func (e *argError) Unwrap() error { return e.sentinel }

// newError returns an error with message "steamgs: " + the formatted text,
// matching sentinel.
func newError(sentinel error, format string, args ...any) error {
	return &argError{msg: "steamgs: " + fmt.Sprintf(format, args...), sentinel: sentinel}
}

// checkString checks a string argument: not longer than limit bytes, no NUL
// byte, and not empty unless allowEmpty.
func checkString(what, s string, limit int, allowEmpty bool) error {
	switch {
	case len(s) > limit:
		return newError(ErrTooLong, "%s is %d bytes, limit %d", what, len(s), limit)
	case s == "" && !allowEmpty:
		return newError(ErrEmpty, "%s is empty; it must be set", what)
	case strings.IndexByte(s, 0) >= 0:
		return newError(ErrInvalidString, "%s %q holds a NUL byte at %d", what, text.Clip(s), strings.IndexByte(s, 0))
	}
	return nil
}

// checkCount checks that n is in 0..limit.
func checkCount(what string, n, limit int) error {
	if n < 0 || n > limit {
		return newError(ErrOutOfRange, "%s is %d, want 0 to %d", what, n, limit)
	}
	return nil
}

// checkID checks that id is valid and of account type want, or also of type
// orWant when orWant is not AccountTypeInvalid.
func checkID(what string, id SteamID, want, orWant AccountType) error {
	t := id.Type()
	if id.IsValid() && (t == want || orWant != AccountTypeInvalid && t == orWant) {
		return nil
	}
	if !id.IsValid() {
		return newError(ErrInvalidSteamID, "%s %s (%d) is not a valid Steam ID", what, id, uint64(id))
	}
	if orWant != AccountTypeInvalid {
		return newError(ErrInvalidSteamID, "%s %s is a %s account, want %s or %s", what, id, t, want, orWant)
	}
	return newError(ErrInvalidSteamID, "%s %s is a %s account, want %s", what, id, t, want)
}

// checkTicketSource checks the Steam ID of a party whose auth ticket a
// server may check: an individual, a game server (persistent or anonymous)
// or an anonymous user that passes IsValid. Clans, chats and the other types
// own no ticket.
func checkTicketSource(what string, id SteamID) error {
	if !id.IsValid() {
		return newError(ErrInvalidSteamID, "%s %s (%d) is not a valid Steam ID", what, id, uint64(id))
	}
	switch id.Type() {
	case AccountTypeIndividual, AccountTypeGameServer, AccountTypeAnonGameServer, AccountTypeAnonUser:
		return nil
	}
	return newError(ErrInvalidSteamID, "%s %s is a %s account, and no auth ticket comes from one; want an individual, game server, anonymous game server or anonymous user",
		what, id, id.Type())
}

// checkUser checks the Steam ID of a player: an individual or a connection
// made by CreateUnauthenticatedUserConnection.
func checkUser(what string, id SteamID) error {
	return checkID(what, id, AccountTypeIndividual, AccountTypeAnonUser)
}

// ipv4 returns a as an IPv4 address, unmapping IPv4-mapped IPv6 ones.
func ipv4(what string, a netip.Addr) (netip.Addr, error) {
	a = a.Unmap()
	if !a.Is4() {
		return netip.Addr{}, newError(ErrInvalidAddress, "%s %s is not an IPv4 address; the SDK takes IPv4 only", what, a)
	}
	return a, nil
}
