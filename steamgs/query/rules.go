package query

// Rule is one key/value of an A2S_RULES reply.
type Rule struct {
	// Name is the rule's key; Value its value. Both are written up to their
	// first NUL byte.
	Name, Value string
}

// rulesHeaderSize is FF FF FF FF 'E' and the u16 count.
const rulesHeaderSize = 7

// RulesSize returns the size in bytes of the RULES reply for the given rules,
// as AppendRules writes it (keys and values cut at their first NUL byte).
func RulesSize(rules []Rule) int {
	n := rulesHeaderSize
	for i := range rules[:min(len(rules), MaxRules)] {
		n += ruleSize(rules[i].Name, rules[i].Value)
	}
	return n
}

func ruleSize(name, value string) int {
	return len(wireString(name, len(name))) + 1 + len(wireString(value, len(value))) + 1
}

// AppendRules appends the A2S_RULES reply carrying rules to b and returns the
// extended buffer. Only the first MaxRules rules are written (the count is a
// u16); keys and values are written up to their first NUL byte and are not
// otherwise cut. The reply is whole (FF FF FF FF 'E' ...); one longer than
// MaxPacketSize must be sent split, and one longer than MaxReplySize cannot be
// sent at all (see RulesSize).
func AppendRules(b []byte, rules []Rule) []byte {
	n := min(len(rules), MaxRules)
	b = appendHeader(b, replyRules)
	b = le.AppendUint16(b, uint16(n))
	for i := range n {
		b = appendString(b, rules[i].Name, len(rules[i].Name))
		b = appendString(b, rules[i].Value, len(rules[i].Value))
	}
	return b
}

// ParseRules decodes a whole (reassembled) A2S_RULES reply into its rules, in
// wire order. Bytes after the last pair are ignored. The error wraps
// ErrMalformed.
func ParseRules(b []byte) ([]Rule, error) {
	r := reader{b: b}
	r.header(replyRules)
	n := int(r.u16())
	var rules []Rule
	if !r.failed {
		// Each pair takes at least 2 bytes.
		rules = make([]Rule, 0, min(n, r.left()/2))
	}
	for i := 0; i < n && !r.failed; i++ {
		var rule Rule
		rule.Name = r.str()
		rule.Value = r.str()
		rules = append(rules, rule)
	}
	if err := r.err("RULES reply"); err != nil {
		return nil, err
	}
	return rules, nil
}
