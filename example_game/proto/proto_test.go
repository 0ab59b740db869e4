package proto_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/steamgs/steamgs/example_game/proto"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func sampleSnapshot() *proto.Snapshot {
	return &proto.Snapshot{
		Tick: 1234, You: 2,
		Players: []proto.PlayerState{
			{ID: 1, X: proto.ToFixed(10.25), Y: proto.ToFixed(20.5), Score: 3, Auth: proto.AuthApproved, Name: "host"},
			{ID: 2, X: 400, Y: 800, Score: 0, Auth: proto.AuthPending, Name: "Zoë"},
			{ID: 3, X: 1, Y: 2, Score: 1 << 31, Auth: proto.AuthUnauthenticated, Bot: true, Name: "bot 1"},
		},
		Coins: []proto.Point{{X: 40, Y: 80}, {X: 2000, Y: 1600}},
	}
}

func messages() []proto.Message {
	return []proto.Message{
		proto.Hello{Name: "alice"},
		proto.Hello{Name: strings.Repeat("n", proto.MaxNameLen)},
		proto.Challenge{Token: 0x0102030405060708, ServerID: 90071992547409921, Password: true},
		proto.Connect{Token: 7, SteamID: 76561197960265729, Name: "alice", Password: "pw", Ticket: []byte{1, 2, 3, 4}},
		proto.Welcome{PlayerID: 5, TickRate: 30, Width: 640, Height: 448, ServerName: "Coin Arena", Map: "arena"},
		proto.Deny{Reason: proto.ReasonServerFull, Message: "32 of 32 players"},
		proto.Input{Seq: 99, Buttons: 0b1010},
		sampleSnapshot(),
		&proto.Snapshot{},
		proto.Disconnect{Reason: proto.ReasonQuit},
		proto.Disconnect{Reason: proto.ReasonQuit, CancelNotice: cancelNotice()},
	}
}

// cancelNotice returns bytes of the size of steamgs/local's cancel notices.
func cancelNotice() []byte {
	n := make([]byte, 93)
	for i := range n {
		n[i] = byte(0xC1 + i)
	}
	return n
}

func TestRoundTrip(t *testing.T) {
	for _, m := range messages() {
		t.Run(m.Type().String(), func(t *testing.T) {
			pkt := m.AppendTo(nil)
			require.True(t, proto.IsGame(pkt), "IsGame(% x)", pkt[:3])
			assert.LessOrEqual(t, len(pkt), proto.MaxPacketSize, "size")
			typ, err := proto.Peek(pkt)
			require.NoError(t, err, "Peek")
			require.Equal(t, m.Type(), typ, "Peek")
			got, err := proto.Decode(pkt)
			require.NoError(t, err)
			if s, ok := m.(*proto.Snapshot); ok && len(s.Players) == 0 {
				// An empty snapshot decodes with empty, not nil, slices.
				require.IsType(t, (*proto.Snapshot)(nil), got)
				g := got.(*proto.Snapshot)
				assert.Empty(t, g.Players, "players")
				assert.Empty(t, g.Coins, "coins")
				assert.Equal(t, s.Tick, g.Tick, "tick")
				return
			}
			assert.Equal(t, m, got)
			assert.Equal(t, pkt, got.AppendTo(nil), "re-encoded")
		})
	}
}

func TestHelloIsNotSmallerThanChallenge(t *testing.T) {
	hello := proto.Hello{}.AppendTo(nil)
	challenge := proto.Challenge{}.AppendTo(nil)
	assert.GreaterOrEqual(t, len(hello), len(challenge), "Hello's size against Challenge's: the answer amplifies")
}

func TestEncodersClip(t *testing.T) {
	long := strings.Repeat("é", proto.MaxNameLen) // 2 bytes each
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"short", "bob", "bob"},
		{"at NUL", "bo\x00b", "bo"},
		{"UTF-8 boundary", long, strings.Repeat("é", proto.MaxNameLen/2)},
		{"ASCII", strings.Repeat("a", 40), strings.Repeat("a", proto.MaxNameLen)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, proto.ClipName(tt.in), "ClipName")
			m, err := proto.ParseHello(proto.Hello{Name: tt.in}.AppendTo(nil))
			require.NoError(t, err)
			assert.Equal(t, tt.want, m.Name, "decoded name")
		})
	}
	big := &proto.Snapshot{Players: make([]proto.PlayerState, 40), Coins: make([]proto.Point, 40)}
	for i := range big.Players {
		big.Players[i].Name = strings.Repeat("x", 30)
	}
	pkt := big.AppendTo(nil)
	assert.LessOrEqual(t, len(pkt), proto.MaxPacketSize, "size of the largest snapshot")
	assert.Len(t, pkt, big.Size(), "Size of the largest snapshot")
	var got proto.Snapshot
	require.NoError(t, proto.ParseSnapshot(pkt, &got))
	assert.Len(t, got.Players, proto.MaxPlayers, "decoded players")
	assert.Len(t, got.Coins, proto.MaxCoins, "decoded coins")
}

func TestMalformed(t *testing.T) {
	snap := sampleSnapshot().AppendTo(nil)
	connect := proto.Connect{Name: "a", Ticket: []byte{1}}.AppendTo(nil)
	tests := []struct {
		name string
		pkt  []byte
		want string
	}{
		{"empty", nil, "message is 0 bytes, need at least 3"},
		{"Steam query", []byte{0xFF, 0xFF, 0xFF, 0xFF, 'T'}, "first byte is 0xFF"},
		{"version", []byte{'G', 9, 1}, "version is 9, want 1"},
		{"type", []byte{'G', 1, 0}, "unknown type 0"},
		{"type 200", []byte{'G', 1, 200}, "unknown type 200"},
		{"short input", []byte{'G', 1, 6, 1}, "seq needs 4 bytes, 1 left"},
		{"long input", []byte{'G', 1, 6, 1, 0, 0, 0, 0, 9}, "1 bytes after the last field"},
		{"truncated snapshot", snap[:len(snap)-1], "coin y needs 2 bytes, 1 left"},
		{"trailing snapshot", append(snap[:len(snap):len(snap)], 0), "1 bytes after the last field"},
		{"too many players", []byte{'G', 1, 7, 0, 0, 0, 0, 0, 0, 33}, "player count is 33, limit 32"},
		{"too many coins", []byte{'G', 1, 7, 0, 0, 0, 0, 0, 0, 0, 40}, "coin count is 40, limit 32"},
		{"bad flags", []byte{'G', 1, 7, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0}, "player flags are 0x03"},
		{"long name", append([]byte{'G', 1, 1, 30}, make([]byte, 30)...), "name is 30 bytes, limit 24"},
		{"NUL in name", append([]byte{'G', 1, 1, 2, 'a', 0}, make([]byte, 26)...), "name holds a NUL byte"},
		{"bad UTF-8", append([]byte{'G', 1, 1, 1, 0xC3}, make([]byte, 27)...), "name is not valid UTF-8"},
		{"hello too short", []byte{'G', 1, 1, 0}, "message is 4 bytes, want 32"},
		{"hello padding", append([]byte{'G', 1, 1, 0}, append(make([]byte, 27), 1)...), "padding is not zero"},
		{"ticket too long", append(connect[:len(connect)-3:len(connect)-3], 0x01, 0x08), "ticket is 2049 bytes, limit 1024"},
		{"bool", []byte{'G', 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2}, "password flag is 2, want 0 or 1"},
		{"reason", []byte{'G', 1, 8, 99}, "reason is 99, want at most 10"},
		{"empty cancel notice", []byte{'G', 1, 8, 9, 0, 0}, "cancel notice is empty"},
		{"cancel notice too long", []byte{'G', 1, 8, 9, 129, 0}, "cancel notice is 129 bytes, limit 128"},
		{"truncated cancel notice", []byte{'G', 1, 8, 9, 2, 0, 1}, "cancel notice needs 2 bytes, 1 left"},
		{"cancel notice length cut", []byte{'G', 1, 8, 9, 2}, "cancel notice length needs 2 bytes, 1 left"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := proto.Decode(tt.pkt)
			require.Error(t, err, "Decode(% x) = %+v", tt.pkt, m)
			assert.ErrorIs(t, err, proto.ErrMalformed)
			assert.ErrorContains(t, err, tt.want)
		})
	}
}

func TestDisconnectCancelNotice(t *testing.T) {
	plain := proto.Disconnect{Reason: proto.ReasonQuit}.AppendTo(nil)
	assert.Equal(t, []byte{'G', 1, 8, 9}, plain, "a Disconnect without a notice is its reason alone")
	m, err := proto.ParseDisconnect(plain)
	require.NoError(t, err)
	assert.Nil(t, m.CancelNotice, "no notice")

	notice := cancelNotice()
	pkt := proto.Disconnect{Reason: proto.ReasonQuit, CancelNotice: notice}.AppendTo(nil)
	assert.Len(t, pkt, 4+2+len(notice), "size")
	m, err = proto.ParseDisconnect(pkt)
	require.NoError(t, err)
	assert.Equal(t, notice, m.CancelNotice, "notice")
	pkt[len(pkt)-1] ^= 0xFF
	assert.Equal(t, notice, m.CancelNotice, "the notice is a copy")

	long := proto.Disconnect{CancelNotice: make([]byte, 200)}.AppendTo(nil)
	m, err = proto.ParseDisconnect(long)
	require.NoError(t, err)
	assert.Len(t, m.CancelNotice, proto.MaxCancelNoticeLen, "a long notice is cut to the limit")
}

func TestParseWrongType(t *testing.T) {
	pkt := proto.Input{Seq: 1}.AppendTo(nil)
	_, err := proto.ParseDisconnect(pkt)
	assert.ErrorContains(t, err, "type is Input, want Disconnect", "ParseDisconnect(Input)")
	var s proto.Snapshot
	assert.ErrorIs(t, proto.ParseSnapshot(pkt, &s), proto.ErrMalformed, "ParseSnapshot(Input)")
}

func TestToFixed(t *testing.T) {
	tests := []struct {
		in   float32
		want proto.Fixed
	}{
		{0, 0}, {-5, 0}, {0.25, 1}, {0.1, 0}, {0.2, 1}, {100, 400}, {16383.75, 65535}, {1e9, 65535},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, proto.ToFixed(tt.in), "ToFixed(%v)", tt.in)
	}
	assert.Equal(t, float32(100.25), proto.Fixed(401).Float(), "Fixed(401).Float()")
}

func TestStrings(t *testing.T) {
	tests := []struct{ got, want string }{
		{proto.TypeSnapshot.String(), "Snapshot"},
		{proto.Type(77).String(), "Type(77)"},
		{proto.ReasonServerFull.String(), "server full"},
		{proto.Reason(200).String(), "Reason(200)"},
		{proto.AuthApproved.String(), "approved"},
		{proto.AuthUnauthenticated.String(), "bot"},
		{proto.Auth(9).String(), "Auth(9)"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.got)
	}
}

func TestParseDoesNotAllocate(t *testing.T) {
	snap := sampleSnapshot().AppendTo(nil)
	input := proto.Input{Seq: 1, Buttons: 3}.AppendTo(nil)
	var s proto.Snapshot
	require.NoError(t, proto.ParseSnapshot(snap, &s))
	tests := []struct {
		name string
		fn   func()
	}{
		{"ParseSnapshot", func() { _ = proto.ParseSnapshot(snap, &s) }},
		{"ParseInput", func() { _, _ = proto.ParseInput(input) }},
		{"Snapshot.AppendTo", func() { snap = s.AppendTo(snap[:0]) }},
	}
	for _, tt := range tests {
		assert.Zero(t, testing.AllocsPerRun(100, tt.fn), "%s allocations", tt.name)
	}
}

func BenchmarkSnapshot(b *testing.B) {
	s := &proto.Snapshot{Players: make([]proto.PlayerState, 32), Coins: make([]proto.Point, 12)}
	for i := range s.Players {
		s.Players[i] = proto.PlayerState{ID: uint16(i + 1), X: 100, Y: 200, Score: 5, Name: fmt.Sprintf("player %d", i)}
	}
	buf := s.AppendTo(nil)
	var out proto.Snapshot
	b.ReportAllocs()
	b.SetBytes(int64(len(buf)))
	for b.Loop() {
		buf = s.AppendTo(buf[:0])
		if err := proto.ParseSnapshot(buf, &out); err != nil {
			b.Fatal(err)
		}
	}
}

func ExampleDecode() {
	pkt := proto.Input{Seq: 7, Buttons: 1}.AppendTo(nil)
	m, err := proto.Decode(pkt)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%s %+v\n", m.Type(), m)
	_, err = proto.Decode([]byte{0xFF, 0xFF, 0xFF, 0xFF, 'T'})
	fmt.Println(err)
	// Output:
	// Input {Seq:7 Buttons:1}
	// proto: malformed header at byte 0 of 5: first byte is 0xFF, want 0x47
}

func TestSnapshotFind(t *testing.T) {
	snap := proto.Snapshot{You: 2, Players: []proto.PlayerState{{ID: 1, Score: 5}, {ID: 2, Score: 7}}}
	tests := []struct {
		id    uint16
		found bool
		score uint32
	}{
		{1, true, 5},
		{2, true, 7},
		{3, false, 0},
		{0, false, 0},
	}
	for _, tt := range tests {
		p := snap.Find(tt.id)
		if !tt.found {
			assert.Nil(t, p, "Find(%d)", tt.id)
		} else if assert.NotNil(t, p, "Find(%d)", tt.id) {
			assert.Equal(t, tt.score, p.Score, "Find(%d)'s score", tt.id)
		}
	}
	assert.Same(t, &snap.Players[1], snap.Find(snap.You), "Find does not point into the snapshot's own players")
}
