package steamgs

import (
	"fmt"
	"github.com/steamgs/steamgs/steamgs/internal/text"
	"strconv"
	"strings"
)

// SteamID is a 64-bit Steam ID: the account ID in the low 32 bits, the
// instance in the next 20, the account type in the next 4 and the universe
// in the top 8. The zero value is the invalid Steam ID.
type SteamID uint64

// AccountType is the kind of account a SteamID names (the SDK's EAccountType).
type AccountType uint8

// Account types, with the SDK's values.
const (
	AccountTypeInvalid        AccountType = 0  // Invalid
	AccountTypeIndividual     AccountType = 1  // Individual
	AccountTypeMultiseat      AccountType = 2  // Multiseat
	AccountTypeGameServer     AccountType = 3  // GameServer
	AccountTypeAnonGameServer AccountType = 4  // AnonGameServer
	AccountTypePending        AccountType = 5  // Pending
	AccountTypeContentServer  AccountType = 6  // ContentServer
	AccountTypeClan           AccountType = 7  // Clan
	AccountTypeChat           AccountType = 8  // Chat
	AccountTypeConsoleUser    AccountType = 9  // ConsoleUser
	AccountTypeAnonUser       AccountType = 10 // AnonUser
)

// Universe is the Steam universe a SteamID belongs to (the SDK's EUniverse).
type Universe uint8

// Universes, with the SDK's values.
const (
	UniverseInvalid  Universe = 0 // Invalid
	UniversePublic   Universe = 1 // Public
	UniverseBeta     Universe = 2 // Beta
	UniverseInternal Universe = 3 // Internal
	UniverseDev      Universe = 4 // Dev
)

// InstanceDesktop is the instance of ordinary individual accounts.
const InstanceDesktop = 1

// Largest values of the SteamID fields.
const (
	maxInstance = 1<<20 - 1
	maxType     = 1<<4 - 1
)

// NewSteamID assembles a SteamID from its parts. The instance is truncated to
// its 20 bits and the account type to its 4 bits.
func NewSteamID(u Universe, t AccountType, instance uint32, account uint32) SteamID {
	return SteamID(uint64(u)<<56 | uint64(t&maxType)<<52 | uint64(instance&maxInstance)<<32 | uint64(account))
}

// IndividualID returns the public-universe SteamID of an individual account.
func IndividualID(account uint32) SteamID {
	return NewSteamID(UniversePublic, AccountTypeIndividual, InstanceDesktop, account)
}

// ClanID returns the public-universe SteamID of a clan (a Steam group).
func ClanID(account uint32) SteamID {
	return NewSteamID(UniversePublic, AccountTypeClan, 0, account)
}

// AccountID returns the low 32 bits: the account number.
func (id SteamID) AccountID() uint32 { return uint32(id) }

// Instance returns the 20-bit instance.
func (id SteamID) Instance() uint32 { return uint32(id>>32) & maxInstance }

// Type returns the account type.
func (id SteamID) Type() AccountType { return AccountType(id>>52) & maxType }

// Universe returns the universe.
func (id SteamID) Universe() Universe { return Universe(id >> 56) }

// IsValid reports whether id passes the SDK's CSteamID::IsValid: a
// universe from Public to Dev and an account type from Individual to
// AnonUser; an individual account needs a non-zero account number and the
// desktop instance (1), a clan a non-zero account number and instance 0, a
// game server a non-zero account number. Other types have no further rule.
func (id SteamID) IsValid() bool {
	u, t := id.Universe(), id.Type()
	if u == UniverseInvalid || u > UniverseDev || t == AccountTypeInvalid || t > AccountTypeAnonUser {
		return false
	}
	switch t {
	case AccountTypeIndividual:
		return id.AccountID() != 0 && id.Instance() == InstanceDesktop
	case AccountTypeClan:
		return id.AccountID() != 0 && id.Instance() == 0
	case AccountTypeGameServer:
		return id.AccountID() != 0
	}
	return true
}

// typeLetters maps account types to the letter of their text form; console
// users (type 9) have none, marked by a space.
const typeLetters = "IUMGAPCgT a"

// String returns the usual text form: [U:1:N] for individuals, [G:1:N] for
// game servers, [A:1:N:I] for anonymous game servers, [g:1:N] for clans, and
// the same shape with the SDK's letter for the other types. Console users,
// which have no letter, and types outside the SDK's range print in the
// decimal 64-bit form. ParseSteamID reads every form String writes.
func (id SteamID) String() string {
	var buf [32]byte
	return string(id.appendText(buf[:0]))
}

// AppendText appends the text form of [SteamID.String] to b
// (encoding.TextAppender); it never fails.
func (id SteamID) AppendText(b []byte) ([]byte, error) { return id.appendText(b), nil }

// MarshalText returns the text form of [SteamID.String]
// (encoding.TextMarshaler), so that a SteamID reads as "[U:1:22202]" in
// JSON, in slog's output and in a flag.TextVar's default; every SteamID,
// valid or not, reads back to itself with UnmarshalText. It never fails.
func (id SteamID) MarshalText() ([]byte, error) { return id.appendText(make([]byte, 0, 24)), nil }

// UnmarshalText sets id from any form [ParseSteamID] reads
// (encoding.TextUnmarshaler), for JSON and flag.TextVar. On error, which
// matches ErrInvalidSteamID and names the text, id is unchanged.
func (id *SteamID) UnmarshalText(text []byte) error {
	v, err := ParseSteamID(string(text))
	if err != nil {
		return err
	}
	*id = v
	return nil
}

// appendText appends the text form of String to b.
func (id SteamID) appendText(b []byte) []byte {
	t := id.Type()
	if int(t) >= len(typeLetters) || typeLetters[t] == ' ' {
		return strconv.AppendUint(b, uint64(id), 10)
	}
	b = append(b, '[', typeLetters[t], ':')
	b = strconv.AppendUint(b, uint64(id.Universe()), 10)
	b = append(b, ':')
	b = strconv.AppendUint(b, uint64(id.AccountID()), 10)
	if t == AccountTypeAnonGameServer || (t == AccountTypeIndividual && id.Instance() != InstanceDesktop) ||
		(t != AccountTypeIndividual && t != AccountTypeAnonGameServer && id.Instance() != 0) {
		b = append(b, ':')
		b = strconv.AppendUint(b, uint64(id.Instance()), 10)
	}
	return append(b, ']')
}

// ParseSteamID parses the text forms that [SteamID.String] writes
// ("[U:1:N]", "[G:1:N]", "[A:1:N:I]", "[g:1:N]", ...) and the decimal 64-bit
// form ("76561197960287930"). Errors match [ErrInvalidSteamID].
func ParseSteamID(s string) (SteamID, error) {
	if s == "" {
		return 0, fmt.Errorf("steamgs: Steam ID is empty: %w", ErrInvalidSteamID)
	}
	if s[0] != '[' {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("steamgs: Steam ID %q is not a 64-bit decimal number or [T:U:N] form: %w", text.Clip(s), ErrInvalidSteamID)
		}
		return SteamID(v), nil
	}
	if len(s) < 7 || s[len(s)-1] != ']' || s[2] != ':' {
		return 0, fmt.Errorf("steamgs: Steam ID %q is not of the form [T:U:N]: %w", text.Clip(s), ErrInvalidSteamID)
	}
	t := strings.IndexByte(typeLetters, s[1])
	if t < 0 || s[1] == ' ' {
		return 0, fmt.Errorf("steamgs: Steam ID %q has an unknown account type letter %q: %w", text.Clip(s), s[1], ErrInvalidSteamID)
	}
	inner := s[3 : len(s)-1]
	if n := strings.Count(inner, ":") + 1; n < 2 || n > 3 {
		// Counted before splitting, so that hostile input with many colons
		// allocates nothing more than the error.
		return 0, fmt.Errorf("steamgs: Steam ID %q has %d numbers, want 2 or 3: %w", text.Clip(s), n, ErrInvalidSteamID)
	}
	parts := strings.Split(inner, ":")
	u, err := strconv.ParseUint(parts[0], 10, 8)
	if err != nil {
		return 0, fmt.Errorf("steamgs: Steam ID %q: universe %q is not 0 to 255: %w", text.Clip(s), text.Clip(parts[0]), ErrInvalidSteamID)
	}
	acct, err := strconv.ParseUint(parts[1], 10, 32)
	if err != nil {
		return 0, fmt.Errorf("steamgs: Steam ID %q: account %q is not 0 to 4294967295: %w", text.Clip(s), text.Clip(parts[1]), ErrInvalidSteamID)
	}
	var inst uint64
	switch at := AccountType(t); {
	case len(parts) == 3:
		inst, err = strconv.ParseUint(parts[2], 10, 32)
		if err != nil || inst > maxInstance {
			return 0, fmt.Errorf("steamgs: Steam ID %q: instance %q is not 0 to %d: %w", text.Clip(s), text.Clip(parts[2]), maxInstance, ErrInvalidSteamID)
		}
	case at == AccountTypeIndividual:
		inst = InstanceDesktop
	}
	return NewSteamID(Universe(u), AccountType(t), uint32(inst), uint32(acct)), nil
}
