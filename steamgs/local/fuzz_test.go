package local

import (
	"crypto/ed25519"
	"testing"
	"time"

	"github.com/steamgs/steamgs/steamgs"
	"github.com/stretchr/testify/require"
)

// FuzzParseTicket checks that ParseTicket never panics, that it agrees with
// the allocation-free parser BeginAuthSession uses, that every ticket it
// accepts encodes back to the same bytes, and that BeginAuthSession takes
// any bytes without panicking. The seed corpus is in
// testdata/fuzz/FuzzParseTicket.
func FuzzParseTicket(f *testing.F) {
	u, err := NewUniverse(Options{Key: KeyFromPassphrase("fuzz"), Clock: NewManualClock(time.Unix(1700000000, 0))})
	require.NoError(f, err)
	conn, err := u.Open(steamgs.Config{GamePort: 27015, QueryPort: steamgs.QueryPortShared,
		Mode: steamgs.ModeAuthenticationAndSecure, Version: "1", AppID: 480})
	require.NoError(f, err)
	f.Cleanup(func() { require.NoError(f, conn.Close()) })
	srv := conn.(*Server)
	f.Fuzz(func(t *testing.T, b []byte) {
		tk, err := ParseTicket(b)
		var raw rawTicket
		code := parseTicket(b, &raw)
		require.Equal(t, err == nil, code == ticketOK, "ParseTicket error %v, parseTicket code %v", err, code)
		if err != nil {
			require.ErrorIs(t, err, ErrInvalidTicket)
			return
		}
		signed := len(b) - ed25519.SignatureSize
		require.Equal(t, b[:signed], appendTicketBody(nil, &tk), "re-encoded body")
		require.Equal(t, b[signed:], tk.Signature[:], "signature")
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
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, b []byte) {
		err := u.ApplyCancelNotice(b)
		if err != nil {
			require.ErrorIs(t, err, ErrInvalidTicket)
			return
		}
		require.True(t, len(b) == CancelNoticeLen && ed25519.Verify(u.pub, b[:cancelBodyLen], b[cancelBodyLen:]),
			"took %x, which the universe did not sign", b)
	})
}
