package query

// Kind is the type byte of an A2S request.
type Kind byte

// The request kinds a Responder answers.
const (
	// KindInfo is A2S_INFO 'T': "Source Engine Query\0" and an optional challenge.
	KindInfo Kind = 'T'
	// KindPlayers is A2S_PLAYER 'U': a 4-byte challenge (NoChallenge asks for one).
	KindPlayers Kind = 'U'
	// KindRules is A2S_RULES 'V': a 4-byte challenge (NoChallenge asks for one).
	KindRules Kind = 'V'
	// KindGetChallenge is the legacy A2S_SERVERQUERY_GETCHALLENGE 'W'.
	KindGetChallenge Kind = 'W'
	// KindPing is the legacy A2A_PING 'i'.
	KindPing Kind = 'i'
)

// String returns the request's protocol name, such as "A2S_INFO".
func (k Kind) String() string {
	switch k {
	case KindInfo:
		return "A2S_INFO"
	case KindPlayers:
		return "A2S_PLAYER"
	case KindRules:
		return "A2S_RULES"
	case KindGetChallenge:
		return "A2S_SERVERQUERY_GETCHALLENGE"
	case KindPing:
		return "A2A_PING"
	}
	return "kind " + quoteByte(byte(k))
}

// Request is a decoded A2S request. Its zero value is not a valid request.
type Request struct {
	// Kind is the request's type byte.
	Kind Kind
	// Challenge is the challenge the request carries; meaningful only when
	// HasChallenge is true.
	Challenge uint32
	// HasChallenge is true when an INFO, PLAYER or RULES request carries a
	// challenge other than NoChallenge.
	HasChallenge bool
}

// parseCode says why a packet is not a request, without allocating an error:
// Handle sees junk at line rate and must not allocate for it.
type parseCode uint8

const (
	parseOK parseCode = iota
	parseShort
	parseHeader
	parseKind
	parseInfoPayload
	parseNoChallenge
)

func (c parseCode) String() string {
	switch c {
	case parseShort:
		return "shorter than 5 bytes"
	case parseHeader:
		return "header is not FF FF FF FF"
	case parseKind:
		return "unknown request type"
	case parseInfoPayload:
		return `A2S_INFO payload is not "Source Engine Query\0"`
	case parseNoChallenge:
		return "no 4-byte challenge slot"
	}
	return "ok"
}

// parseRequest decodes pkt; the code is parseOK on success.
func parseRequest(pkt []byte) (Request, parseCode) {
	if len(pkt) < 5 {
		return Request{}, parseShort
	}
	if le.Uint32(pkt) != simpleHeader {
		return Request{}, parseHeader
	}
	req := Request{Kind: Kind(pkt[4])}
	rest := pkt[5:]
	switch req.Kind {
	case KindInfo:
		if len(rest) < len(infoPayload) || string(rest[:len(infoPayload)]) != infoPayload {
			return Request{}, parseInfoPayload
		}
		rest = rest[len(infoPayload):]
		// The challenge is optional; fewer than 4 trailing bytes means none.
		if len(rest) >= 4 {
			req.Challenge = le.Uint32(rest)
			req.HasChallenge = req.Challenge != NoChallenge
		}
	case KindPlayers, KindRules:
		if len(rest) < 4 {
			return Request{}, parseNoChallenge
		}
		req.Challenge = le.Uint32(rest)
		req.HasChallenge = req.Challenge != NoChallenge
	case KindGetChallenge, KindPing:
		// Nothing follows; padding is allowed and ignored.
	default:
		return Request{}, parseKind
	}
	if !req.HasChallenge {
		req.Challenge = 0
	}
	return req, parseOK
}

// ParseRequest decodes an A2S request datagram. Bytes after the request's
// fields are ignored. The error, which wraps ErrMalformed, says why pkt is not a
// request: not FF FF FF FF, an unknown type byte, a wrong INFO payload, or a
// PLAYER or RULES request without its 4-byte challenge slot.
func ParseRequest(pkt []byte) (Request, error) {
	req, code := parseRequest(pkt)
	if code != parseOK {
		off := 0
		switch code {
		case parseShort:
			off = len(pkt)
		case parseKind:
			off = 4
		case parseInfoPayload, parseNoChallenge:
			off = 5
		}
		return Request{}, &formatError{what: "request", msg: code.String(), off: off, n: len(pkt)}
	}
	return req, nil
}

// AppendRequest appends the request datagram for req to b and returns the
// extended buffer. An INFO request carries its challenge only when HasChallenge
// is set; PLAYER and RULES requests carry NoChallenge when it is not. Any other
// kind is written as FF FF FF FF and the type byte alone.
func AppendRequest(b []byte, req Request) []byte {
	b = appendHeader(b, byte(req.Kind))
	switch req.Kind {
	case KindInfo:
		b = append(b, infoPayload...)
		if req.HasChallenge {
			b = le.AppendUint32(b, req.Challenge)
		}
	case KindPlayers, KindRules:
		c := NoChallenge
		if req.HasChallenge {
			c = req.Challenge
		}
		b = le.AppendUint32(b, c)
	}
	return b
}
