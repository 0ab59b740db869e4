package query

import "fmt"

// SplitCount returns how many fragments a reply of size bytes is split into:
// 1 when it fits MaxPacketSize (sent whole, not split), otherwise
// ceil(size/SplitSize), which is more than MaxFragments when size exceeds
// MaxReplySize.
func SplitCount(size int) int {
	if size <= MaxPacketSize {
		return 1
	}
	return (size + SplitSize - 1) / SplitSize
}

// AppendFragment appends fragment number (counted from 0) of the split reply
// to b, in the Source format: FE FF FF FF, id as int32 with the compression
// bit cleared, the fragment count u8, number u8, size u16 (SplitSize), then at
// most SplitSize bytes of reply. Reassembled, the fragments give reply back,
// which begins FF FF FF FF. It fails (wrapping ErrTooLarge) when reply is longer
// than MaxReplySize and (wrapping ErrInvalid) when number is out of range.
func AppendFragment(b []byte, id uint32, reply []byte, number int) ([]byte, error) {
	if len(reply) > MaxReplySize {
		return b, &sizeError{what: "split reply", size: len(reply), limit: MaxReplySize, unit: "bytes"}
	}
	total := (len(reply) + SplitSize - 1) / SplitSize
	if number < 0 || number >= total {
		return b, &invalidError{msg: fmt.Sprintf("fragment number %d out of range [0, %d)", number, total)}
	}
	return appendFragment(b, id, reply, number, total), nil
}

// appendFragment is AppendFragment without the checks, for the reply path.
func appendFragment(b []byte, id uint32, reply []byte, number, total int) []byte {
	b = le.AppendUint32(b, splitHeader)
	b = le.AppendUint32(b, id&0x7FFFFFFF) // top bit set would mean bzip2-compressed
	b = append(b, byte(total), byte(number))
	b = le.AppendUint16(b, SplitSize)
	start := number * SplitSize
	return append(b, reply[start:min(start+SplitSize, len(reply))]...)
}

// Fragment is a decoded fragment of a split reply.
type Fragment struct {
	// ID identifies the reply the fragment belongs to (compression bit included).
	ID uint32
	// Total is the number of fragments of the reply; Number this one's, from 0.
	Total, Number uint8
	// Size is the sender's split size (usually SplitSize).
	Size uint16
	// Payload is the fragment's share of the reply; it aliases the packet.
	Payload []byte
}

// Compressed reports whether the fragment's ID has the bzip2 bit set, which
// this package never sends and Reassemble refuses.
func (f Fragment) Compressed() bool { return f.ID&0x80000000 != 0 }

// ParseFragment decodes one Source-format fragment (FE FF FF FF, ID, total,
// number, size, payload). It fails (wrapping ErrMalformed) unless the header is
// complete, total is non-zero and number is below total.
func ParseFragment(pkt []byte) (Fragment, error) {
	r := reader{b: pkt}
	if h := r.u32(); h != splitHeader && !r.failed {
		return Fragment{}, &formatError{what: "fragment", msg: "header is not FE FF FF FF", off: 0, n: len(pkt)}
	}
	var f Fragment
	f.ID = r.u32()
	f.Total = r.u8()
	f.Number = r.u8()
	f.Size = r.u16()
	if err := r.err("fragment"); err != nil {
		return Fragment{}, err
	}
	if f.Total == 0 || f.Number >= f.Total {
		return Fragment{}, &formatError{what: "fragment",
			msg: fmt.Sprintf("number %d not below total %d", f.Number, f.Total), off: 8, n: len(pkt)}
	}
	f.Payload = pkt[SplitHeaderSize:]
	return f, nil
}

// Reassemble joins the fragments of one split reply, given in any order, and
// returns the whole reply in a new buffer. It fails (wrapping ErrMalformed)
// unless every packet is a fragment with the same ID and total, each number
// appears exactly once, and none is compressed.
func Reassemble(pkts [][]byte) ([]byte, error) {
	if len(pkts) == 0 {
		return nil, &formatError{what: "split reply", msg: "no fragments", n: 0}
	}
	var frags [MaxFragments]Fragment
	var seen [MaxFragments]bool
	var id uint32
	total, size := 0, 0
	for i, pkt := range pkts {
		f, err := ParseFragment(pkt)
		if err != nil {
			return nil, err
		}
		if f.Compressed() {
			return nil, &formatError{what: "split reply", msg: "compressed fragments are not supported", off: 4, n: len(pkt)}
		}
		if i == 0 {
			id, total = f.ID, int(f.Total)
		} else if f.ID != id || int(f.Total) != total {
			return nil, &formatError{what: "split reply",
				msg: fmt.Sprintf("fragment %d has ID %#x total %d, want ID %#x total %d", i, f.ID, f.Total, id, total), off: 4, n: len(pkt)}
		}
		if seen[f.Number] {
			return nil, &formatError{what: "split reply", msg: fmt.Sprintf("fragment number %d repeated", f.Number), off: 9, n: len(pkt)}
		}
		seen[f.Number] = true
		frags[f.Number] = f
		size += len(f.Payload)
	}
	if len(pkts) != total {
		return nil, &formatError{what: "split reply", msg: fmt.Sprintf("%d fragments, want %d", len(pkts), total), n: len(pkts)}
	}
	reply := make([]byte, 0, size)
	for i := range total {
		reply = append(reply, frags[i].Payload...)
	}
	return reply, nil
}
