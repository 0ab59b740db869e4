package query

import "math"

// Player is one entry of an A2S_PLAYER reply.
type Player struct {
	// Name is written up to its first NUL byte and at most MaxStringLen bytes.
	Name string
	// Score is the wire's 32 bits (clients differ in reading them signed or
	// unsigned).
	Score uint32
	// Duration is the time connected, in seconds.
	Duration float32
}

// AppendPlayers appends the A2S_PLAYER reply listing players to b and returns
// the extended buffer. Only the first MaxPlayers players are listed (the count
// is a byte); each gets its position as index. The reply is whole
// (FF FF FF FF 'D' ...); one longer than MaxPacketSize must be sent split.
func AppendPlayers(b []byte, players []Player) []byte {
	n := min(len(players), MaxPlayers)
	b = appendHeader(b, replyPlayers)
	b = append(b, byte(n))
	for i := range n {
		p := &players[i]
		b = appendPlayerHead(b, i, p.Name, p.Score)
		b = le.AppendUint32(b, math.Float32bits(p.Duration))
	}
	return b
}

// appendPlayerHead appends a player entry up to (not including) its duration.
func appendPlayerHead(b []byte, index int, name string, score uint32) []byte {
	b = append(b, byte(index))
	b = appendString(b, name, MaxStringLen)
	return le.AppendUint32(b, score)
}

// ParsePlayers decodes a whole (reassembled) A2S_PLAYER reply. The index bytes
// and any bytes after the last entry are ignored. The error wraps ErrMalformed.
func ParsePlayers(b []byte) ([]Player, error) {
	r := reader{b: b}
	r.header(replyPlayers)
	n := int(r.u8())
	var players []Player
	if !r.failed {
		// Each entry takes at least 10 bytes: never allocate for more than the
		// input can hold.
		players = make([]Player, 0, min(n, r.left()/10))
	}
	for i := 0; i < n && !r.failed; i++ {
		r.u8() // index
		var p Player
		p.Name = r.str()
		p.Score = r.u32()
		p.Duration = r.f32()
		players = append(players, p)
	}
	if err := r.err("PLAYER reply"); err != nil {
		return nil, err
	}
	return players, nil
}
