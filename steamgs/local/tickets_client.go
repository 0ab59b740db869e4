package local

import (
	"fmt"

	"github.com/steamgs/steamgs/steamgs"
)

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

// handleLocked returns a fresh ticket handle.
func (u *Universe) handleLocked() steamgs.AuthTicket {
	u.nextHandle++
	if u.nextHandle == 0 {
		u.nextHandle = 1
	}
	return steamgs.AuthTicket(u.nextHandle)
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
// (ErrUnknownAccount); app is not 0; forID passes steamgs.Identity.Validate
// (at most one field set, a generic identity of at most 31 bytes without
// NUL), whose error is returned as it is.
func (u *Universe) GetAuthSessionTicket(user steamgs.SteamID, app steamgs.AppID, forID steamgs.Identity) (steamgs.AuthTicket, []byte, error) {
	if app == 0 {
		return 0, nil, fmt.Errorf("steamgs/local: app ID is 0, which no app has: %w", steamgs.ErrOutOfRange)
	}
	if err := forID.Validate(); err != nil {
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
