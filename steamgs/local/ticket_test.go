package local_test

import (
	"encoding/binary"
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/local"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseTicketIdentities(t *testing.T) {
	h := newHarness(t, local.Options{}, steamgs.ModeAuthentication)
	alice := h.user("alice")
	ids := []steamgs.Identity{
		{},
		{SteamID: h.u.TokenSteamID("x")},
		{Addr: netip.MustParseAddrPort("192.0.2.1:27015")},
		{Addr: netip.MustParseAddrPort("[2001:db8::1]:27015")},
		{Generic: "lobby"},
		{Generic: strings.Repeat("g", steamgs.MaxGenericIdentityLen)},
	}
	for _, id := range ids {
		b := h.ticket(alice, id)
		assert.True(t, len(b) >= local.MinTicketLen && len(b) <= local.MaxTicketLen, "length %d", len(b))
		assert.Equal(t, byte(local.TicketVersion), b[0], "version first")
		tk, err := local.ParseTicket(b)
		require.NoError(t, err)
		assert.Equal(t, id, tk.For)
		assert.Equal(t, []steamgs.AppID{app, dlc}, tk.Licenses)
		assert.False(t, tk.VACBanned)
	}
}

func TestParseTicketErrors(t *testing.T) {
	h := newHarness(t, local.Options{}, steamgs.ModeAuthentication)
	alice := h.user("alice")
	plain := h.ticket(alice, steamgs.Identity{})                // 2 licences, no identity
	generic := h.ticket(alice, steamgs.Identity{Generic: "ab"}) // identity of 2 bytes
	edit := func(src []byte, f func(b []byte) []byte) []byte {
		return f(append([]byte(nil), src...))
	}
	tests := []struct {
		name string
		b    []byte
		text string
	}{
		{"empty", nil, "shorter"},
		{"version 2", edit(plain, func(b []byte) []byte { b[0] = 2; return b }), "version byte is 2"},
		{"version only", []byte{1}, "shorter"},
		{"unknown flag", edit(plain, func(b []byte) []byte { b[1] = 0x04; return b }), "flags"},
		{"unknown identity kind", edit(plain, func(b []byte) []byte { b[2] = 5; return b }), "identity"},
		{"identity length of another kind", edit(plain, func(b []byte) []byte { b[2] = 1; return b }), "identity"},
		{"generic of 32 bytes", edit(generic, func(b []byte) []byte { b[3] = 32; return b }), "identity"},
		{"NUL in generic", edit(generic, func(b []byte) []byte { b[38] = 0; return b }), "identity"},
		{"invalid user", edit(plain, func(b []byte) []byte { binary.LittleEndian.PutUint64(b[4:], 0); return b }), "user"},
		{"handle 0", edit(plain, func(b []byte) []byte { binary.LittleEndian.PutUint32(b[16:], 0); return b }), "handle is 0"},
		{"expires at issue", edit(plain, func(b []byte) []byte { copy(b[28:36], b[20:28]); return b }), "expiry"},
		{"too many licences", edit(plain, func(b []byte) []byte { binary.LittleEndian.PutUint16(b[36:], local.MaxTicketLicenses+1); return b }), "licence count"},
		{"licence count off by one", edit(plain, func(b []byte) []byte { binary.LittleEndian.PutUint16(b[36:], 3); return b }), "length"},
		{"trailing byte", edit(plain, func(b []byte) []byte { return append(b, 0) }), "length"},
		{"licences out of order", edit(plain, func(b []byte) []byte {
			binary.LittleEndian.PutUint32(b[38:], uint32(dlc))
			binary.LittleEndian.PutUint32(b[42:], uint32(app))
			return b
		}), "ascending"},
		{"IPv4-mapped IPv6 identity", func() []byte {
			b := h.ticket(alice, steamgs.Identity{Addr: netip.MustParseAddrPort("[2001:db8::1]:1")})
			copy(b[38:54], netip.MustParseAddr("::ffff:192.0.2.1").AsSlice())
			return b
		}(), "identity"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := local.ParseTicket(tt.b)
			assert.True(t, errors.Is(err, local.ErrInvalidTicket), "%v", err)
			assert.True(t, err != nil && strings.Contains(err.Error(), tt.text), "%v", err)
		})
	}
}
