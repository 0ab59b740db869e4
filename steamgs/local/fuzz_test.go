package local

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"testing"
	"time"

	"github.com/steamgs/steamgs/steamgs"
)

// FuzzParseTicket checks that ParseTicket never panics, that it agrees with
// the allocation-free parser BeginAuthSession uses, that every ticket it
// accepts encodes back to the same bytes, and that BeginAuthSession takes
// any bytes without panicking. The seed corpus is in
// testdata/fuzz/FuzzParseTicket.
func FuzzParseTicket(f *testing.F) {
	u, err := NewUniverse(Options{Key: KeyFromPassphrase("fuzz"), Clock: NewManualClock(time.Unix(1700000000, 0))})
	if err != nil {
		f.Fatal(err)
	}
	conn, err := u.Open(steamgs.Config{GamePort: 27015, QueryPort: steamgs.QueryPortShared,
		Mode: steamgs.ModeAuthenticationAndSecure, Version: "1", AppID: 480})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { conn.Shutdown() })
	srv := conn.(*Server)
	f.Fuzz(func(t *testing.T, b []byte) {
		tk, err := ParseTicket(b)
		var raw rawTicket
		code := parseTicket(b, &raw)
		if (err == nil) != (code == ticketOK) {
			t.Fatalf("ParseTicket error %v, parseTicket code %v", err, code)
		}
		if err != nil {
			if !errors.Is(err, ErrInvalidTicket) {
				t.Fatalf("error %v does not match ErrInvalidTicket", err)
			}
			return
		}
		signed := len(b) - ed25519.SignatureSize
		if body := appendTicketBody(nil, &tk); !bytes.Equal(body, b[:signed]) {
			t.Fatalf("re-encoded\n%x\nwant\n%x", body, b[:signed])
		}
		if !bytes.Equal(tk.Signature[:], b[signed:]) {
			t.Fatalf("signature %x, want %x", tk.Signature, b[signed:])
		}
		user := tk.User
		if srv.BeginAuthSession(b, user) == steamgs.BeginAuthOK {
			srv.EndAuthSession(user)
		}
	})
}

// FuzzCancelNotice checks that ApplyCancelNotice never panics on any bytes,
// that every error matches ErrInvalidTicket, and that only the notices the
// universe's key signed are taken. The seed corpus is in
// testdata/fuzz/FuzzCancelNotice.
func FuzzCancelNotice(f *testing.F) {
	u, err := NewUniverse(Options{Key: KeyFromPassphrase("fuzz"), Clock: NewManualClock(time.Unix(1700000000, 0))})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		err := u.ApplyCancelNotice(b)
		if err != nil {
			if !errors.Is(err, ErrInvalidTicket) {
				t.Fatalf("error %v does not match ErrInvalidTicket", err)
			}
			return
		}
		if len(b) != CancelNoticeLen || !ed25519.Verify(u.pub, b[:cancelBodyLen], b[cancelBodyLen:]) {
			t.Fatalf("took %x, which the universe did not sign", b)
		}
	})
}
