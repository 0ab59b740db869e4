package steamworks

import (
	"encoding/binary"
	"fmt"
	"math"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/steamgs/steamgs/steamgs"
)

// i64 passes a negative value as a field; the C side truncates it to the
// field's width.
func i64(v int64) uint64 { return uint64(v) }

// cbCase is one callback: the fields of its SDK struct in declaration order
// (and the deny text) and the steamgs value it must decode to.
type cbCase struct {
	name   string
	id     int
	fields []uint64
	text   []byte
	want   steamgs.Callback
}

func callbackCases() []cbCase {
	const maxID = math.MaxUint64
	user, owner := steamgs.IndividualID(42), steamgs.IndividualID(43)
	a127 := strings.Repeat("a", 127)
	return []cbCase{
		{"ServerConnected", 101, nil, nil, steamgs.ServerConnected{}},
		{"ServerConnectFailure", 102, []uint64{2, 1}, nil, steamgs.ServerConnectFailure{Result: steamgs.ResultFail, Retrying: true}},
		{"ServerConnectFailure/negative", 102, []uint64{i64(-5), 0}, nil, steamgs.ServerConnectFailure{Result: -5}},
		{"ServerDisconnected", 103, []uint64{3}, nil, steamgs.ServerDisconnected{Result: steamgs.ResultNoConnection}},
		{"ServerDisconnected/min int32", 103, []uint64{i64(math.MinInt32)}, nil, steamgs.ServerDisconnected{Result: math.MinInt32}},
		{"PolicyResponse/secure", 115, []uint64{1}, nil, steamgs.PolicyResponse{Secure: true}},
		{"PolicyResponse/not secure", 115, []uint64{0}, nil, steamgs.PolicyResponse{}},
		{"ValidateAuthTicketResponse", 143, []uint64{uint64(user), 0, uint64(owner)}, nil,
			steamgs.ValidateAuthTicketResponse{SteamID: user, Response: steamgs.AuthOK, Owner: owner}},
		{"ValidateAuthTicketResponse/max IDs", 143, []uint64{maxID, i64(-1), maxID - 1}, nil,
			steamgs.ValidateAuthTicketResponse{SteamID: maxID, Response: -1, Owner: maxID - 1}},
		{"GetAuthSessionTicketResponse", 163, []uint64{math.MaxUint32, 1}, nil,
			steamgs.GetAuthSessionTicketResponse{Ticket: math.MaxUint32, Result: steamgs.ResultOK}},
		{"ClientApproved", 201, []uint64{maxID, uint64(owner)}, nil, steamgs.ClientApproved{SteamID: maxID, Owner: owner}},
		{"ClientDenied", 202, []uint64{uint64(user), 4}, []byte("no licence"), steamgs.ClientDenied{
			SteamID: user, Reason: steamgs.DenyNoLicense, Message: "no licence"}},
		{"ClientDenied/128 bytes without NUL", 202, []uint64{maxID, i64(-1)}, []byte(strings.Repeat("a", 128)),
			steamgs.ClientDenied{SteamID: maxID, Reason: -1, Message: a127}},
		{"ClientDenied/NUL inside", 202, []uint64{uint64(user), 7}, []byte("hi\x00there"),
			steamgs.ClientDenied{SteamID: user, Reason: steamgs.DenyUnknownText, Message: "hi"}},
		{"ClientDenied/not UTF-8", 202, []uint64{uint64(user), 2}, []byte("bad \xff\xfe end"),
			steamgs.ClientDenied{SteamID: user, Reason: steamgs.DenyGeneric, Message: "bad \uFFFD end"}},
		{"ClientDenied/UTF-8 cut at 127", 202, []uint64{uint64(user), 2}, []byte(strings.Repeat("a", 126) + "\u00e9"),
			steamgs.ClientDenied{SteamID: user, Reason: steamgs.DenyGeneric, Message: strings.Repeat("a", 126)}},
		{"ClientDenied/empty", 202, []uint64{uint64(user), 3}, nil,
			steamgs.ClientDenied{SteamID: user, Reason: steamgs.DenyNotLoggedOn}},
		{"ClientKick", 203, []uint64{maxID, 15}, nil, steamgs.ClientKick{SteamID: maxID, Reason: steamgs.DenySteamOwnerLeftGuestUser}},
		{"ClientKick/negative reason", 203, []uint64{uint64(user), i64(-9)}, nil, steamgs.ClientKick{SteamID: user, Reason: -9}},
		{"GameplayStats", 207, []uint64{1, i64(-1), math.MaxUint32, math.MaxUint32}, nil,
			steamgs.GameplayStats{Result: steamgs.ResultOK, Rank: -1, TotalConnects: math.MaxUint32, TotalMinutesPlayed: math.MaxUint32}},
		{"ClientGroupStatus/officer", 208, []uint64{uint64(user), uint64(steamgs.ClanID(9)), 1, 1}, nil,
			steamgs.ClientGroupStatus{SteamID: user, Group: steamgs.ClanID(9), Member: true, Officer: true}},
		{"ClientGroupStatus/officer but no member", 208, []uint64{maxID, maxID, 0, 1}, nil,
			steamgs.ClientGroupStatus{SteamID: maxID, Group: maxID}},
		{"ServerReputation/banned", 209, []uint64{1, math.MaxUint32, 1, 0x01020304, 65535, maxID, math.MaxUint32}, nil,
			steamgs.ServerReputation{Result: steamgs.ResultOK, Score: math.MaxUint32, Banned: true,
				BannedAddr: netip.MustParseAddrPort("1.2.3.4:65535"), BannedGameID: maxID,
				BanExpires: time.Unix(math.MaxUint32, 0).UTC()}},
		{"ServerReputation/not banned", 209, []uint64{1, 7, 0, 0x01020304, 5, 480, 99}, nil,
			steamgs.ServerReputation{Result: steamgs.ResultOK, Score: 7, BannedGameID: 480}},
		{"AssociateClan", 210, []uint64{i64(-2)}, nil, steamgs.AssociateClan{Result: -2}},
		{"PlayerCompat", 211, []uint64{1, i64(-1), math.MaxInt32, 0, maxID}, nil, steamgs.PlayerCompat{
			Result: steamgs.ResultOK, PlayersThatDontLikeCandidate: -1, PlayersThatCandidateDoesntLike: math.MaxInt32,
			Candidate: maxID}},
	}
}

// withCall sets the Call of a call result's callback.
func withCall(cb steamgs.Callback, call steamgs.APICall) steamgs.Callback {
	switch v := cb.(type) {
	case steamgs.AssociateClan:
		v.Call = call
		return v
	case steamgs.PlayerCompat:
		v.Call = call
		return v
	case steamgs.ServerReputation:
		v.Call = call
		return v
	}
	return cb
}

// TestDecodeCallbackLayouts decodes each callback's struct as the C
// compiler lays it out under #pragma pack(4) (Linux, macOS) and pack(8)
// (Windows).
func TestDecodeCallbackLayouts(t *testing.T) {
	f := openFake(t, fakeLibrary(t))
	for _, tc := range callbackCases() {
		for _, pack := range []int{4, 8} {
			t.Run(fmt.Sprintf("%s/pack%d", tc.name, pack), func(t *testing.T) {
				data := f.encode(tc.id, pack, tc.fields, tc.text)
				got, ok := decodeCallback(tc.id, data, pack, 77)
				must(t, ok, "decodeCallback(%d) refused %d bytes", tc.id, len(data))
				eq(t, withCall(tc.want, 77), got)
				eq(t, tc.id, got.CallbackID())
				// Every byte the struct has is needed, except trailing padding.
				if tc.id != steamgs.IDServerConnected {
					_, ok = decodeCallback(tc.id, data[:minSize(tc.id, pack)-1], pack, 0)
					check(t, !ok, "decoded a payload one byte short")
				}
			})
		}
	}
}

// minSize is the end of the last field of a callback struct.
func minSize(id, pack int) int {
	wide := 0
	if pack == 8 {
		wide = 4
	}
	return map[int]int{102: 5, 103: 4, 115: 1, 143: 20 + wide, 163: 8, 201: 16, 202: 140, 203: 12, 207: 16,
		208: 18, 209: 32 + wide, 210: 4, 211: 24}[id]
}

// TestCallbacks delivers each callback through manual dispatch of the fake
// and steamgs.Server.RunCallbacks.
func TestCallbacks(t *testing.T) {
	for _, tc := range callbackCases() {
		t.Run(tc.name, func(t *testing.T) {
			fx := newFixture(t, Options{})
			fx.fake.queueEncoded(tc.id, tc.fields, tc.text)
			fx.fake.clearLog()
			got := collect(fx.srv)
			eq(t, []steamgs.Callback{tc.want}, got)
			calls := fx.fake.calls()
			must(t, len(calls) > 0)
			eq(t, "SteamAPI_ManualDispatch_RunFrame(42)", calls[0])
			eq(t, 0, fx.fake.pending())
		})
	}
}

// TestCallResults delivers call results: a SteamAPICallCompleted whose
// payload is fetched with GetAPICallResult, carrying the call's handle.
func TestCallResults(t *testing.T) {
	for _, tc := range callbackCases() {
		if tc.id != steamgs.IDServerReputation && tc.id != steamgs.IDAssociateClan && tc.id != steamgs.IDPlayerCompat {
			continue
		}
		for _, failed := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/failed=%v", tc.name, failed), func(t *testing.T) {
				fx := newFixture(t, Options{})
				const call = math.MaxUint64 - 3
				fx.fake.queueCallResult(call, tc.id, tc.fields, failed)
				fx.fake.clearLog()
				got := collect(fx.srv)
				want := withCall(tc.want, call)
				if failed {
					want, _ = failedCallResult(tc.id, call)
				}
				eq(t, []steamgs.Callback{want}, got)
				eq(t, fmt.Sprintf("SteamAPI_ManualDispatch_GetAPICallResult(42, %d, %d, %d)", uint64(call),
					minSizePadded(tc.id), tc.id), fx.fake.calls()[2])
			})
		}
	}
}

// minSizePadded is sizeof a call result's struct under the platform's pack.
func minSizePadded(id int) int {
	return map[int]int{209: 32, 210: 4, 211: 24}[id] + map[bool]int{true: 8, false: 0}[platformPack() == 8 && id == 209]
}

// TestCallbackEdges covers unknown and malformed callbacks, extra bytes,
// odd bools, order, and a game that calls the server (or shuts it down)
// from inside a callback.
func TestCallbackEdges(t *testing.T) {
	le32 := func(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }
	t.Run("unknown callbacks are skipped", func(t *testing.T) {
		fx := newFixture(t, Options{})
		fx.fake.queueRaw(9999, []byte{1, 2, 3})
		fx.fake.queueRaw(1201, nil)
		fx.fake.queueEncoded(103, []uint64{3}, nil)
		eq(t, []steamgs.Callback{steamgs.ServerDisconnected{Result: steamgs.ResultNoConnection}}, collect(fx.srv))
	})
	t.Run("short payloads are skipped", func(t *testing.T) {
		fx := newFixture(t, Options{})
		fx.fake.queueRaw(143, make([]byte, 19))
		fx.fake.queueRaw(202, make([]byte, 139))
		fx.fake.queueRaw(102, []byte{1, 0, 0, 0})
		fx.fake.queueRaw(115, nil)
		eq(t, []steamgs.Callback(nil), collect(fx.srv))
	})
	t.Run("an empty payload suits an empty struct", func(t *testing.T) {
		fx := newFixture(t, Options{})
		fx.fake.queueRaw(101, nil)
		fx.fake.queueRaw(103, nil)
		eq(t, []steamgs.Callback{steamgs.ServerConnected{}}, collect(fx.srv))
	})
	t.Run("extra bytes are ignored", func(t *testing.T) {
		fx := newFixture(t, Options{})
		fx.fake.queueRaw(103, append(le32(38), 0xEE, 0xEE, 0xEE, 0xEE))
		eq(t, []steamgs.Callback{steamgs.ServerDisconnected{Result: steamgs.ResultRemoteDisconnect}}, collect(fx.srv))
	})
	t.Run("any non-zero bool byte is true", func(t *testing.T) {
		fx := newFixture(t, Options{})
		fx.fake.queueRaw(115, []byte{0x80})
		fx.fake.queueRaw(102, append(le32(3), 0xFF, 0, 0, 0))
		eq(t, []steamgs.Callback{steamgs.PolicyResponse{Secure: true},
			steamgs.ServerConnectFailure{Result: steamgs.ResultNoConnection, Retrying: true}}, collect(fx.srv))
	})
	t.Run("order is kept", func(t *testing.T) {
		fx := newFixture(t, Options{})
		var want []steamgs.Callback
		for i := range 50 {
			fx.fake.queueEncoded(163, []uint64{uint64(i), 1}, nil)
			want = append(want, steamgs.GetAuthSessionTicketResponse{Ticket: steamgs.AuthTicket(i), Result: steamgs.ResultOK})
		}
		eq(t, want, collect(fx.srv))
		eq(t, []steamgs.Callback(nil), collect(fx.srv), "a second RunCallbacks")
	})
	t.Run("unknown call result is skipped", func(t *testing.T) {
		fx := newFixture(t, Options{})
		done := make([]byte, 16)
		binary.LittleEndian.PutUint64(done, 12345)
		binary.LittleEndian.PutUint32(done[8:], 210)
		binary.LittleEndian.PutUint32(done[12:], 4)
		fx.fake.queueRaw(idAPICallCompleted, done)
		fx.fake.queueEncoded(101, nil, nil)
		eq(t, []steamgs.Callback{steamgs.ServerConnected{}}, collect(fx.srv))
	})
	t.Run("callbacks may call the server", func(t *testing.T) {
		fx := newFixture(t, Options{})
		fx.fake.setReturn("BUpdateUserData", 1)
		fx.fake.queueEncoded(143, []uint64{uint64(steamgs.IndividualID(5)), 0, uint64(steamgs.IndividualID(5))}, nil)
		fx.fake.queueEncoded(101, nil, nil)
		var got []steamgs.Callback
		fx.srv.RunCallbacks(func(cb steamgs.Callback) {
			got = append(got, cb)
			if v, ok := cb.(steamgs.ValidateAuthTicketResponse); ok {
				ok, err := fx.srv.UpdateUserData(v.SteamID, "player", 1)
				noErr(t, err)
				check(t, ok)
			}
		})
		eq(t, 2, len(got))
	})
	t.Run("shutdown inside a callback stops the pump", func(t *testing.T) {
		fx := newFixture(t, Options{})
		fx.fake.queueEncoded(101, nil, nil)
		fx.fake.queueEncoded(101, nil, nil)
		n := 0
		fx.srv.RunCallbacks(func(steamgs.Callback) {
			n++
			noErr(t, fx.srv.Shutdown())
		})
		eq(t, 1, n)
		check(t, !fx.srv.Running())
	})
	t.Run("a nil function drains the queue", func(t *testing.T) {
		fx := newFixture(t, Options{})
		fx.fake.queueEncoded(101, nil, nil)
		fx.conn(t).RunCallbacks(nil)
		eq(t, 0, fx.fake.pending())
	})
	t.Run("offline log-on fails with NoConnection", func(t *testing.T) {
		fx := newFixture(t, Options{Offline: true})
		logOnReady(t, fx.srv)
		noErr(t, fx.srv.LogOnAnonymous())
		eq(t, []steamgs.Callback{steamgs.ServerConnectFailure{Result: steamgs.ResultNoConnection}}, collect(fx.srv))
		check(t, !fx.srv.LoggedOn())
	})
}
