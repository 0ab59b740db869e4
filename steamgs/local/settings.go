package local

import (
	"slices"

	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/query"
)

// infoFields are the settings A2S_INFO reports.
const infoFields = steamgs.FieldGameDescription | steamgs.FieldModDir | steamgs.FieldDedicated |
	steamgs.FieldServerName | steamgs.FieldMapName | steamgs.FieldMaxPlayers | steamgs.FieldBots |
	steamgs.FieldPasswordProtected | steamgs.FieldSpectatorPort | steamgs.FieldSpectatorServerName |
	steamgs.FieldGameTags

// Apply takes the server's settings, the arguments of ISteamGameServer's
// setters, for the fields named in changed, and brings the A2S replies up to
// date once for all of them, without the universe's lock (A2S state is the
// server's own). st is only read, and not kept.
//
//   - GameDescription is A2S_INFO's game, ModDir its folder, Dedicated its
//     server type ('d' dedicated, 'l' listen), ServerName its name, MapName
//     its map, MaxPlayers and Bots its counts (255 at most on the wire),
//     PasswordProtected its visibility, SpectatorPort and
//     SpectatorServerName its spectator port (0: none) and name, GameTags
//     its keywords.
//   - KeyValues are A2S_RULES's rules: a rule keeps its place while its key
//     stays, and keys new in one call follow in key order. steamgs.Server
//     has checked that every rule fits one RULES reply; one given through
//     steamgs.Server.Raw that would not fit is left out.
//   - Advertise turns answering A2S queries on or off, after the other
//     fields are in place; a server that does not advertise answers
//     nothing.
//   - Product, GameData and Region change nothing: they go only to a master
//     server, which the embedded Steam does not have.
func (s *Server) Apply(st *steamgs.Settings, changed steamgs.Field) {
	a := &s.a2s
	if changed&infoFields != 0 {
		a.set.Merge(st, changed&infoFields) // the key/values are kept in rules
		s.u.mu.Lock()
		id, vac := s.steamID, s.secure
		s.u.mu.Unlock()
		s.pushInfo(id, vac)
	}
	if changed&steamgs.FieldKeyValues != 0 {
		a.rules.apply(a.r, st.KeyValues)
	}
	if changed&steamgs.FieldAdvertise != 0 {
		a.r.SetAdvertise(st.Advertise)
	}
}

// rules are the key/values a server's Responder reports as A2S_RULES rules.
// The zero value is no rule.
type rules struct {
	keys   []string // in the Responder's order
	values map[string]string
}

// apply makes kv the rules of r. Rules whose key stays keep their place and
// are set again only when their value changed; new keys follow in key order.
// The Responder removes rules only all at once, so when a key is gone every
// rule that stays is set again.
func (rs *rules) apply(r *query.Responder, kv map[string]string) {
	var added []string
	kept := 0
	for k := range kv {
		if _, ok := rs.values[k]; ok {
			kept++
		} else {
			added = append(added, k)
		}
	}
	if kept < len(rs.values) {
		r.ClearRules()
		keys := rs.keys
		rs.keys = rs.keys[:0]
		clear(rs.values)
		for _, k := range keys {
			if v, ok := kv[k]; ok {
				rs.set(r, k, v)
			}
		}
	} else {
		for _, k := range rs.keys {
			if v := kv[k]; v != rs.values[k] {
				rs.set(r, k, v)
			}
		}
	}
	slices.Sort(added)
	for _, k := range added {
		rs.set(r, k, kv[k])
	}
}

// set sets rule k to v in r, and records it when r takes it.
func (rs *rules) set(r *query.Responder, k, v string) {
	if r.SetRule(k, v) != nil {
		return
	}
	if rs.values == nil {
		rs.values = make(map[string]string)
	}
	if _, ok := rs.values[k]; !ok {
		rs.keys = append(rs.keys, k)
	}
	rs.values[k] = v
}
