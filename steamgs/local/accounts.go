package local

import (
	"errors"
	"fmt"
	"slices"

	"github.com/steamgs/steamgs/steamgs"
)

// ErrUnknownAccount is matched (errors.Is) by errors about a Steam ID the
// universe has no account for.
var ErrUnknownAccount = errors.New("steamgs/local: unknown account")

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

// account is a user of the universe.
type account struct {
	name      string
	apps      []steamgs.AppID // ascending, distinct, non-zero
	vac       bool
	publisher bool
	// against holds the users this one recommends against.
	against map[steamgs.SteamID]struct{}
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

// vacBannedLocked reports whether the universe's records say user is
// VAC-banned.
func (u *Universe) vacBannedLocked(user steamgs.SteamID, acct *account) bool {
	if acct != nil && acct.vac {
		return true
	}
	_, ok := u.banned[user]
	return ok
}
