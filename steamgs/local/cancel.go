package local

import (
	"crypto/ed25519"
	"encoding/binary"
	"fmt"

	"github.com/steamgs/steamgs/steamgs"
)

// Cancel notice format, version 1. Integers are little-endian.
//
//	offset  size  field
//	0       1     0xC1: a cancel notice, version 1 (a ticket starts with 1,
//	              so neither can pass for the other)
//	1       8     user: the Steam ID of the ticket's owner
//	9       4     the ticket's handle, not zero
//	13      8     the ticket's issue time, Unix nanoseconds
//	21      8     the ticket's expiry time, Unix nanoseconds, after the issue time
//	29      64    ed25519 signature, by the universe's key, of bytes 0 to 28
const (
	// CancelNoticeLen is the length of a cancel notice.
	CancelNoticeLen = cancelBodyLen + ed25519.SignatureSize

	cancelNoticeV1 = 0xC1
	cancelBodyLen  = 29
)

// CancelNotice cancels a ticket that GetAuthSessionTicket made for user, as
// CancelAuthTicket does, and returns a notice of the cancel signed with the
// universe's key, for the client to send to the server it gave the ticket
// to. A server in another process, on a universe with the same key, learns
// of the cancel only when that universe is given the notice
// ([Universe.ApplyCancelNotice]); servers of processes that never see it
// cannot know, and keep taking the ticket until it expires. A handle the
// universe did not issue for user is an error matching ErrUnknownAccount.
func (u *Universe) CancelNotice(user steamgs.SteamID, ticket steamgs.AuthTicket) ([]byte, error) {
	now := u.now()
	u.mu.Lock()
	rec, ok := u.issued[handleKey{user, ticket}]
	if ok {
		u.cancelLocked(user, ticket, now)
	}
	u.mu.Unlock()
	if !ok {
		return nil, fmt.Errorf("steamgs/local: ticket %d was not issued for %s by this universe: %w", ticket, user, ErrUnknownAccount)
	}
	b := make([]byte, 0, CancelNoticeLen)
	b = append(b, cancelNoticeV1)
	b = binary.LittleEndian.AppendUint64(b, uint64(user))
	b = binary.LittleEndian.AppendUint32(b, uint32(ticket))
	b = binary.LittleEndian.AppendUint64(b, uint64(rec.issued))
	b = binary.LittleEndian.AppendUint64(b, uint64(rec.expires))
	return append(b, ed25519.Sign(u.priv, b)...), nil
}

// cancelNotice is a parsed cancel notice.
type cancelNotice struct {
	user            steamgs.SteamID
	handle          steamgs.AuthTicket
	issued, expires int64
}

// parseCancelNotice reads a cancel notice without checking its signature.
// It never reads past b and never panics.
func parseCancelNotice(b []byte) (cancelNotice, error) {
	if len(b) != CancelNoticeLen {
		return cancelNotice{}, fmt.Errorf("steamgs/local: cancel notice is %d bytes, want %d: %w", len(b), CancelNoticeLen, ErrInvalidTicket)
	}
	if b[0] != cancelNoticeV1 {
		return cancelNotice{}, fmt.Errorf("steamgs/local: cancel notice starts with 0x%02X, want 0x%02X: %w", b[0], cancelNoticeV1, ErrInvalidTicket)
	}
	n := cancelNotice{
		user:    steamgs.SteamID(binary.LittleEndian.Uint64(b[1:])),
		handle:  steamgs.AuthTicket(binary.LittleEndian.Uint32(b[9:])),
		issued:  int64(binary.LittleEndian.Uint64(b[13:])),
		expires: int64(binary.LittleEndian.Uint64(b[21:])),
	}
	switch {
	case !n.user.IsValid():
		return cancelNotice{}, fmt.Errorf("steamgs/local: cancel notice names user %d, not a valid Steam ID: %w", uint64(n.user), ErrInvalidTicket)
	case n.handle == 0:
		return cancelNotice{}, fmt.Errorf("steamgs/local: cancel notice names ticket handle 0: %w", ErrInvalidTicket)
	case n.expires <= n.issued:
		return cancelNotice{}, fmt.Errorf("steamgs/local: cancel notice's ticket expires (%d) before it is issued (%d): %w", n.expires, n.issued, ErrInvalidTicket)
	}
	return n, nil
}

// ApplyCancelNotice takes a notice from [Universe.CancelNotice] of a
// universe with the same key and cancels the ticket it names here: sessions
// of this universe's servers that use the ticket get
// ValidateAuthTicketResponse{AuthTicketCanceled}, and so does any later
// BeginAuthSession with it. Bytes that are not a notice, or one signed with
// another key, are refused with an error matching ErrInvalidTicket; a notice
// of a ticket that has expired changes nothing. It verifies one signature.
func (u *Universe) ApplyCancelNotice(notice []byte) error {
	n, err := parseCancelNotice(notice)
	if err != nil {
		return err
	}
	if !ed25519.Verify(u.pub, notice[:cancelBodyLen], notice[cancelBodyLen:]) {
		return fmt.Errorf("steamgs/local: cancel notice of ticket %d of %s has a bad signature (another universe's key?): %w", n.handle, n.user, ErrInvalidTicket)
	}
	now := u.now()
	if n.expires <= now {
		return nil
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	k := handleKey{n.user, n.handle}
	rec, ok := u.issued[k]
	if ok && rec.issued != n.issued {
		if rec.issued > n.issued {
			return nil // the notice is of an older ticket with the same handle
		}
		ok = false // a newer ticket than the one recorded
	}
	if !ok {
		u.recordLocked(k, issuedTicket{issued: n.issued, expires: n.expires}, now)
	}
	u.cancelLocked(n.user, n.handle, now)
	return nil
}
