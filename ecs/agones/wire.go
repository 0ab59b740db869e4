package agones

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"
)

// Int64 is an int64 as the sidecar's JSON carries it: written as a string
// ("2"), read from a string or a number, as protobuf's JSON mapping does.
// The zero value is 0.
type Int64 int64

// MarshalJSON writes n as a quoted decimal.
func (n Int64) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 22)
	b = append(b, '"')
	b = strconv.AppendInt(b, int64(n), 10)
	return append(b, '"'), nil
}

// UnmarshalJSON reads a string or a number holding an integer; null leaves n
// as it is.
func (n *Int64) UnmarshalJSON(b []byte) error {
	v, err := parseInt(b, math.MinInt64, math.MaxInt64)
	if err != nil {
		return err
	}
	if v != nil {
		*n = Int64(*v)
	}
	return nil
}

// Int32 is an int32 field of the sidecar's JSON (a port, a health period):
// written as a number, read from a number or a string. The zero value is 0.
type Int32 int32

// MarshalJSON writes n as a number.
func (n Int32) MarshalJSON() ([]byte, error) { return strconv.AppendInt(nil, int64(n), 10), nil }

// UnmarshalJSON reads a number or a string holding an integer; null leaves
// n as it is.
func (n *Int32) UnmarshalJSON(b []byte) error {
	v, err := parseInt(b, math.MinInt32, math.MaxInt32)
	if err != nil {
		return err
	}
	if v != nil {
		*n = Int32(*v)
	}
	return nil
}

// parseInt reads a JSON integer, bare or quoted, within [lo, hi]; nil for
// null.
func parseInt(b []byte, lo, hi int64) (*int64, error) {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		return nil, nil
	}
	s := string(b)
	if len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return nil, err
		}
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		// protobuf's JSON also accepts an integral number in exponent
		// form, such as 1e3.
		const two63 = 1 << 63
		f, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil || f != math.Trunc(f) || f < -two63 || f >= two63 {
			return nil, fmt.Errorf("agones: %q is not an integer from %d to %d", s, lo, hi)
		}
		v = int64(f)
	}
	if v < lo || v > hi {
		return nil, fmt.Errorf("agones: %d is out of range %d to %d", v, lo, hi)
	}
	return &v, nil
}

// State is the state of a GameServer, such as StateReady.
type State string

// GameServer states (Agones' GameServerState).
const (
	StatePortAllocation State = "PortAllocation"
	StateCreating       State = "Creating"
	StateStarting       State = "Starting"
	StateScheduled      State = "Scheduled"
	StateRequestReady   State = "RequestReady"
	StateReady          State = "Ready"
	StateAllocated      State = "Allocated"
	StateReserved       State = "Reserved"
	StateShutdown       State = "Shutdown"
	StateUnhealthy      State = "Unhealthy"
	StateError          State = "Error"
)

// Terminal reports whether nothing the server does moves the GameServer out
// of s: Shutdown, Unhealthy and Error.
func (s State) Terminal() bool {
	return s == StateShutdown || s == StateUnhealthy || s == StateError
}

// GameServer is the GameServer object the sidecar serves (GET /gameserver,
// the watch stream), with the fields a game server uses. Unknown fields are
// ignored.
type GameServer struct {
	ObjectMeta ObjectMeta `json:"object_meta"` // name, labels, annotations
	Spec       Spec       `json:"spec"`        // the health checks
	Status     Status     `json:"status"`      // state, address, ports, players
}

// ObjectMeta is a GameServer's Kubernetes metadata.
type ObjectMeta struct {
	Name              string            `json:"name"`               // the GameServer's name
	Namespace         string            `json:"namespace"`          // its Kubernetes namespace
	UID               string            `json:"uid"`                // its Kubernetes UID
	ResourceVersion   string            `json:"resource_version"`   // Kubernetes' version of the object
	Generation        Int64             `json:"generation"`         // changes of its spec
	CreationTimestamp Int64             `json:"creation_timestamp"` // Unix seconds
	DeletionTimestamp Int64             `json:"deletion_timestamp"` // Unix seconds; 0 while it is not being deleted
	Labels            map[string]string `json:"labels"`             // full keys: agones.dev/sdk-KEY for the SDK's
	Annotations       map[string]string `json:"annotations"`        // full keys, as Labels
}

// Spec is the part of a GameServer's spec a game server reads.
type Spec struct {
	Health HealthSpec `json:"health"` // spec.health
}

// HealthSpec is how Agones checks a GameServer's health: every PeriodSeconds
// without a ping is a failure, FailureThreshold of them make it Unhealthy,
// and the checks begin InitialDelaySeconds after start.
type HealthSpec struct {
	Disabled            bool  `json:"disabled"`              // no health checks at all
	PeriodSeconds       Int32 `json:"period_seconds"`        // the period a ping must fall in
	FailureThreshold    Int32 `json:"failure_threshold"`     // periods without a ping before Unhealthy
	InitialDelaySeconds Int32 `json:"initial_delay_seconds"` // grace before the first check
}

// DefaultHealthPeriod is Agones' default health period_seconds.
const DefaultHealthPeriod = 5 * time.Second

// Period returns PeriodSeconds as a duration, DefaultHealthPeriod when it
// is not positive.
func (h HealthSpec) Period() time.Duration {
	if h.PeriodSeconds <= 0 {
		return DefaultHealthPeriod
	}
	return time.Duration(h.PeriodSeconds) * time.Second
}

// Status is a GameServer's status.
type Status struct {
	State    State                    `json:"state"`    // where it is in its life cycle
	Address  string                   `json:"address"`  // where players reach it (an IP or a host name)
	Ports    []Port                   `json:"ports"`    // its host ports, by name
	Players  *PlayerStatus            `json:"players"`  // alpha player tracking; nil when off
	Counters map[string]CounterStatus `json:"counters"` // the counters, by name
	Lists    map[string]ListStatus    `json:"lists"`    // the lists, by name
}

// Port is one of a GameServer's ports: its name in the Fleet and the host
// port players use.
type Port struct {
	Name string `json:"name"` // the port's name in the Fleet
	Port Int32  `json:"port"` // the host port
}

// PlayerStatus is the alpha player tracking's view of the players.
type PlayerStatus struct {
	Count    Int64    `json:"count"`    // players connected
	Capacity Int64    `json:"capacity"` // players allowed
	IDs      []string `json:"ids"`      // the connected players
}

// CounterStatus is a counter as the GameServer's status shows it.
type CounterStatus struct {
	Count    Int64 `json:"count"`    // the count
	Capacity Int64 `json:"capacity"` // its largest value
}

// ListStatus is a list as the GameServer's status shows it.
type ListStatus struct {
	Capacity Int64    `json:"capacity"` // the most values it may hold
	Values   []string `json:"values"`   // the values, in the order added
}

// Port returns the host port of the port named name, and whether the
// GameServer has it (with a port number from 1 to 65535).
func (gs *GameServer) Port(name string) (uint16, bool) {
	for _, p := range gs.Status.Ports {
		if p.Name == name && p.Port > 0 && p.Port <= math.MaxUint16 {
			return uint16(p.Port), true
		}
	}
	return 0, false
}

// List is a list of the Counters and Lists API (GET /v1beta1/lists/NAME).
type List struct {
	Name     string   `json:"name"`     // the list's name in the spec
	Capacity Int64    `json:"capacity"` // the most values it may hold
	Values   []string `json:"values"`   // the values, in the order added
}

// Counter is a counter of the Counters and Lists API (GET
// /v1beta1/counters/NAME).
type Counter struct {
	Name     string `json:"name"`     // the counter's name in the spec
	Count    Int64  `json:"count"`    // the count
	Capacity Int64  `json:"capacity"` // its largest value
}

// CounterUpdate changes a counter (PATCH /v1beta1/counters/NAME): the
// fields that are set are sent, as the sidecar's int64 strings.
type CounterUpdate struct {
	// Count, when not nil, sets the count.
	Count *int64
	// CountDiff, when not zero, adds to the count (negative: subtracts).
	CountDiff int64
	// Capacity, when not nil, sets the capacity.
	Capacity *int64
}

// MarshalJSON writes the fields that are set: {"count":"7"},
// {"countDiff":"1"}, {"capacity":"20"}.
func (u CounterUpdate) MarshalJSON() ([]byte, error) {
	var w struct {
		Count     *Int64 `json:"count,omitempty"`
		CountDiff *Int64 `json:"countDiff,omitempty"`
		Capacity  *Int64 `json:"capacity,omitempty"`
	}
	if u.Count != nil {
		v := Int64(*u.Count)
		w.Count = &v
	}
	if u.CountDiff != 0 {
		v := Int64(u.CountDiff)
		w.CountDiff = &v
	}
	if u.Capacity != nil {
		v := Int64(*u.Capacity)
		w.Capacity = &v
	}
	return json.Marshal(w)
}

// Bodies of requests and answers.
type (
	keyValue struct {
		Key   string `json:"key"`
		Value string `json:"value"`
	}
	seconds struct {
		Seconds Int64 `json:"seconds"`
	}
	listValue struct {
		Value string `json:"value"`
	}
	listCapacity struct {
		Capacity Int64 `json:"capacity"`
	}
	playerID struct {
		PlayerID string `json:"playerID"`
	}
	count struct {
		Count Int64 `json:"count"`
	}
	boolean struct {
		Bool bool `json:"bool"`
	}
	playerList struct {
		List []string `json:"list"`
	}
	// rpcStatus is the body of an error: {"code","message","details"}.
	rpcStatus struct {
		Code    int               `json:"code"`
		Message string            `json:"message"`
		Details []json.RawMessage `json:"details"`
	}
	// watchLine is one line of the watch stream.
	watchLine struct {
		Result *GameServer `json:"result"`
		Error  *rpcStatus  `json:"error"`
	}
)

// empty is the body of the calls that take none: the sidecar is sent {} (an
// empty body on /health is refused).
var empty = struct{}{}
