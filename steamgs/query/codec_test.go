package query

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func hdr(t byte, rest ...byte) []byte {
	return append([]byte{0xFF, 0xFF, 0xFF, 0xFF, t}, rest...)
}

func TestParseRequest(t *testing.T) {
	info := append(hdr('T'), infoPayload...)
	cat := func(a []byte, b ...byte) []byte { return append(append([]byte(nil), a...), b...) }
	tests := []struct {
		name string
		pkt  []byte
		want Request
		err  string // substring of the error; "" = success
	}{
		{"info", info, Request{Kind: KindInfo}, ""},
		{"info no-challenge slot", cat(info, 0xFF, 0xFF, 0xFF, 0xFF), Request{Kind: KindInfo}, ""},
		{"info challenge", cat(info, 1, 2, 3, 4), Request{Kind: KindInfo, Challenge: 0x04030201, HasChallenge: true}, ""},
		{"info padding after challenge", cat(info, 1, 2, 3, 4, 0, 0, 0), Request{Kind: KindInfo, Challenge: 0x04030201, HasChallenge: true}, ""},
		{"info short tail", cat(info, 1, 2), Request{Kind: KindInfo}, ""},
		{"player ask", hdr('U', 0xFF, 0xFF, 0xFF, 0xFF), Request{Kind: KindPlayers}, ""},
		{"player challenge", hdr('U', 0, 0, 0, 0), Request{Kind: KindPlayers, HasChallenge: true}, ""},
		{"rules challenge", hdr('V', 0xEF, 0xBE, 0xAD, 0xDE), Request{Kind: KindRules, Challenge: 0xDEADBEEF, HasChallenge: true}, ""},
		{"getchallenge", hdr('W'), Request{Kind: KindGetChallenge}, ""},
		{"getchallenge padded", hdr('W', 0, 0, 0, 0), Request{Kind: KindGetChallenge}, ""},
		{"ping", hdr('i'), Request{Kind: KindPing}, ""},
		{"empty", nil, Request{}, "shorter than 5 bytes at byte 0 of 0"},
		{"4 bytes", []byte{0xFF, 0xFF, 0xFF, 0xFF}, Request{}, "shorter than 5 bytes"},
		{"split header", []byte{0xFE, 0xFF, 0xFF, 0xFF, 'T'}, Request{}, "header is not FF FF FF FF"},
		{"unknown kind", hdr('X'), Request{}, "unknown request type at byte 4 of 5"},
		{"reply kind", hdr('I'), Request{}, "unknown request type"},
		{"info no payload", hdr('T'), Request{}, "Source Engine Query"},
		{"info wrong payload", append(hdr('T'), "Source Engine Query!"...), Request{}, "Source Engine Query"},
		{"info payload without NUL", append(hdr('T'), "Source Engine Query"...), Request{}, "Source Engine Query"},
		{"player no slot", hdr('U'), Request{}, "challenge slot"},
		{"rules short slot", hdr('V', 1, 2, 3), Request{}, "challenge slot"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseRequest(tt.pkt)
			if tt.err != "" {
				require.Error(t, err)
				assert.ErrorIs(t, err, ErrMalformed)
				assert.ErrorContains(t, err, tt.err)
				assert.True(t, strings.HasPrefix(err.Error(), "query: "), err.Error())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestAppendRequest(t *testing.T) {
	tests := []struct {
		req  Request
		want []byte
	}{
		{Request{Kind: KindInfo}, append(hdr('T'), infoPayload...)},
		{Request{Kind: KindInfo, Challenge: 0x01020304, HasChallenge: true}, append(append(hdr('T'), infoPayload...), 4, 3, 2, 1)},
		{Request{Kind: KindPlayers}, hdr('U', 0xFF, 0xFF, 0xFF, 0xFF)},
		{Request{Kind: KindRules, Challenge: 7, HasChallenge: true}, hdr('V', 7, 0, 0, 0)},
		{Request{Kind: KindGetChallenge}, hdr('W')},
		{Request{Kind: KindPing}, hdr('i')},
	}
	for _, tt := range tests {
		t.Run(tt.req.Kind.String(), func(t *testing.T) {
			got := AppendRequest([]byte("prefix"), tt.req)
			require.Equal(t, "prefix", string(got[:6]))
			assert.Equal(t, tt.want, got[6:])
			back, err := ParseRequest(got[6:])
			require.NoError(t, err)
			assert.Equal(t, tt.req, back)
		})
	}
	assert.Len(t, AppendRequest(nil, Request{Kind: KindInfo}), 25)
}

func TestKindString(t *testing.T) {
	assert.Equal(t, "A2S_INFO", KindInfo.String())
	assert.Equal(t, "A2S_PLAYER", KindPlayers.String())
	assert.Equal(t, "A2S_RULES", KindRules.String())
	assert.Equal(t, "A2S_SERVERQUERY_GETCHALLENGE", KindGetChallenge.String())
	assert.Equal(t, "A2A_PING", KindPing.String())
	assert.Equal(t, "kind 0x01", Kind(1).String())
}

// fullInfo sets every field.
func fullInfo() Info {
	return Info{
		Name: "My Server", Map: "de_dust2", Folder: "mygame", Game: "My Game",
		AppID: 0x123456, MaxPlayers: 32, Bots: 3, Dedicated: true, Environment: 'w',
		Password: true, VAC: true, Version: "1.2.3",
		GamePort: 27015, SteamID: 90071992547409920, SpectatorPort: 27020, SpectatorName: "tv",
		Keywords: "ctf,fast",
	}
}

func TestAppendInfoGolden(t *testing.T) {
	// Built by hand from the reference's field list, in its order.
	var want []byte
	want = append(want, 0xFF, 0xFF, 0xFF, 0xFF, 'I', 17)
	want = append(want, "My Server\x00de_dust2\x00mygame\x00My Game\x00"...)
	want = append(want, 0x56, 0x34)               // app ID u16, truncated
	want = append(want, 5, 32, 3, 'd', 'w', 1, 1) // players, max, bots, type, env, visibility, VAC
	want = append(want, "1.2.3\x00"...)
	want = append(want, 0x80|0x10|0x40|0x20|0x01)
	want = append(want, 0x87, 0x69)                                     // game port 27015
	want = append(want, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x40, 0x01) // SteamID
	want = append(want, 0x8C, 0x69)                                     // spectator port 27020
	want = append(want, "tv\x00ctf,fast\x00"...)
	want = append(want, 0x56, 0x34, 0x12, 0, 0, 0, 0, 0) // game ID
	got := AppendInfo(nil, fullInfo(), 5)
	assert.Equal(t, want, got)
}

func TestInfoRoundTrip(t *testing.T) {
	long := strings.Repeat("é", MaxStringLen) // 2 bytes a rune
	tests := []struct {
		name    string
		info    Info
		players int
		want    Info // what ParseInfo gives back
		wantN   int
	}{
		{"full", fullInfo(), 5, fullInfo(), 5},
		{"zero", Info{}, 0, Info{Environment: 'l'}, 0},
		{"clamps", Info{MaxPlayers: 300, Bots: -4, AppID: 70000}, 1000,
			Info{MaxPlayers: 255, Environment: 'l', AppID: 70000}, 255},
		{"app id above 24 bits", Info{AppID: 0x1_000_0480}, 1, Info{AppID: 0x480, Environment: 'l'}, 1},
		{"listen mac", Info{Environment: 'm', Dedicated: false}, 0, Info{Environment: 'm'}, 0},
		{"only game port", Info{GamePort: 1}, 0, Info{GamePort: 1, Environment: 'l'}, 0},
		{"only steam id", Info{SteamID: 1}, 0, Info{SteamID: 1, Environment: 'l'}, 0},
		{"spectator", Info{SpectatorPort: 2, SpectatorName: "x"}, 0, Info{SpectatorPort: 2, SpectatorName: "x", Environment: 'l'}, 0},
		{"spectator name without port", Info{SpectatorName: "x"}, 0, Info{Environment: 'l'}, 0},
		{"keywords", Info{Keywords: "a,b"}, 0, Info{Keywords: "a,b", Environment: 'l'}, 0},
		{"the ship", Info{AppID: theShipAppID, Version: "v"}, 2, Info{AppID: theShipAppID, Version: "v", Environment: 'l'}, 2},
		{"NUL cuts", Info{Name: "a\x00b", Keywords: "\x00x"}, 0, Info{Name: "a", Environment: 'l'}, 0},
		{"long cut at rune", Info{Name: long + "x"}, 0, Info{Name: long[:MaxStringLen], Environment: 'l'}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := AppendInfo(nil, tt.info, tt.players)
			got, n, err := ParseInfo(b)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.wantN, n)
		})
	}
}

func TestParseInfoTruncated(t *testing.T) {
	b := AppendInfo(nil, fullInfo(), 5)
	versionEnd := bytes.Index(b, []byte("1.2.3\x00")) + 6
	for n := 0; n < len(b); n++ {
		_, _, err := ParseInfo(b[:n])
		if n == versionEnd {
			require.NoError(t, err, "prefix %d ends before the EDF byte", n)
			continue
		}
		assert.ErrorIs(t, err, ErrMalformed, "prefix %d", n)
	}
	_, _, err := ParseInfo(hdr('D', 0))
	assert.ErrorContains(t, err, "type byte is 'D', want 'I' at byte 4 of 6")
	_, _, err = ParseInfo([]byte{0xFE, 0xFF, 0xFF, 0xFF, 'I'})
	assert.ErrorContains(t, err, "header is not FF FF FF FF at byte 0")
}

func TestWireString(t *testing.T) {
	tests := []struct {
		s    string
		max  int
		want string
	}{
		{"abc", 10, "abc"},
		{"abc", 3, "abc"},
		{"abc", 2, "ab"},
		{"a\x00bc", 10, "a"},
		{"\x00", 10, ""},
		{"héllo", 2, "h"}, // é is 2 bytes: do not split it
		{"héllo", 3, "hé"},
		{"€uro", 2, ""}, // € is 3 bytes
		{"\x80\x80\x80\x80\x80\x80", 5, "\x80\x80"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, wireString(tt.s, tt.max), "%q max %d", tt.s, tt.max)
	}
}

func TestPlayersRoundTrip(t *testing.T) {
	many := make([]Player, 300)
	for i := range many {
		many[i] = Player{Name: strings.Repeat("n", i%40), Score: uint32(i), Duration: float32(i) / 2}
	}
	tests := []struct {
		name    string
		players []Player
		want    []Player
	}{
		{"none", nil, []Player{}},
		{"one", []Player{{Name: "bob", Score: 7, Duration: 1.5}}, []Player{{Name: "bob", Score: 7, Duration: 1.5}}},
		{"negative score bits", []Player{{Name: "x", Score: math.MaxUint32}}, []Player{{Name: "x", Score: math.MaxUint32}}},
		{"empty name", []Player{{}}, []Player{{}}},
		{"more than 255", many, many[:255]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := AppendPlayers(nil, tt.players)
			got, err := ParsePlayers(b)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
	b := AppendPlayers(nil, []Player{{Name: "bob", Score: 1, Duration: 2}})
	assert.Equal(t, append(hdr('D', 1, 0), 'b', 'o', 'b', 0, 1, 0, 0, 0, 0, 0, 0, 0x40), b)
	for n := 0; n < len(b); n++ {
		_, err := ParsePlayers(b[:n])
		assert.ErrorIs(t, err, ErrMalformed, "prefix %d", n)
	}
	// A count larger than the entries present fails without allocating for it.
	_, err := ParsePlayers(hdr('D', 255))
	assert.ErrorIs(t, err, ErrMalformed)
}

func TestRulesRoundTrip(t *testing.T) {
	tests := []struct {
		name  string
		rules []Rule
	}{
		{"none", []Rule{}},
		{"one", []Rule{{"mp_timelimit", "30"}}},
		{"empty strings", []Rule{{"", ""}, {"k", ""}}},
		{"utf8", []Rule{{"näme", "välue€"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := AppendRules(nil, tt.rules)
			assert.Len(t, b, RulesSize(tt.rules))
			got, err := ParseRules(b)
			require.NoError(t, err)
			assert.Equal(t, tt.rules, got)
		})
	}
	b := AppendRules(nil, []Rule{{"a", "b"}})
	assert.Equal(t, hdr('E', 1, 0, 'a', 0, 'b', 0), b)
	for n := 0; n < len(b); n++ {
		_, err := ParseRules(b[:n])
		assert.ErrorIs(t, err, ErrMalformed, "prefix %d", n)
	}
	// Values with NUL are cut at it, and RulesSize agrees.
	nul := []Rule{{"a\x00b", "c\x00d"}}
	assert.Len(t, AppendRules(nil, nul), RulesSize(nul))
}

func TestChallengeCodec(t *testing.T) {
	b := AppendChallenge(nil, 0xDEADBEEF)
	assert.Equal(t, hdr('A', 0xEF, 0xBE, 0xAD, 0xDE), b)
	assert.Len(t, b, ChallengeReplySize)
	c, err := ParseChallenge(b)
	require.NoError(t, err)
	assert.Equal(t, uint32(0xDEADBEEF), c)
	_, err = ParseChallenge(b[:8])
	assert.ErrorIs(t, err, ErrMalformed)
	_, err = ParseChallenge(hdr('I', 1, 2, 3, 4))
	assert.ErrorIs(t, err, ErrMalformed)
}

func TestErrors(t *testing.T) {
	err := error(&sizeError{what: "rules reply", size: 400000, limit: MaxReplySize, unit: "bytes"})
	assert.Equal(t, "query: rules reply is 400000 bytes, limit 318240", err.Error())
	assert.ErrorIs(t, err, ErrTooLarge)
	assert.NotErrorIs(t, err, ErrMalformed)
}
