package agones

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// Environment variables the Agones sidecar sets in the game's container.
const (
	// EnvHTTPPort is the port of the sidecar's HTTP/JSON gateway on
	// localhost; unset means the server is not under Agones.
	EnvHTTPPort = "AGONES_SDK_HTTP_PORT"
	// DefaultHTTPPort is the port Agones gives EnvHTTPPort by default.
	DefaultHTTPPort = 9358
)

// DefaultTimeout bounds one attempt of a call (not the watch stream) when
// ClientOptions.Timeout is zero.
const DefaultTimeout = 10 * time.Second

// maxBody bounds the answers the client reads (and each watch line).
const maxBody = 4 << 20

// ClientOptions configure a Client. The zero value retries with
// DefaultBackoff on the system clock and gives each attempt DefaultTimeout.
type ClientOptions struct {
	// Backoff paces the attempts of a call the sidecar does not answer (it
	// may start after the game). Answers, errors included, are never
	// retried.
	Backoff Backoff
	// Timeout bounds one attempt; 0 means DefaultTimeout.
	Timeout time.Duration
	// Clock is what back-off waits on; nil means SystemClock().
	Clock Clock
}

// Client is a typed client of the Agones SDK sidecar's HTTP/JSON gateway:
// one method per SDK call, each taking a context, retrying while the sidecar
// does not answer and returning an *Error that names the call when it
// fails. Make it with NewClient or ClientFromEnv; Close it to release its
// idle connections. Its methods are safe for concurrent use.
type Client struct {
	base    string
	tr      *http.Transport
	hc      *http.Client
	backoff Backoff
	timeout time.Duration
	clock   Clock
}

// NewClient returns a client of the sidecar at addr: "host:port", or a URL
// such as "http://127.0.0.1:9358". It never uses a proxy.
func NewClient(addr string, opts ClientOptions) (*Client, error) {
	base := addr
	if !strings.Contains(addr, "://") {
		base = "http://" + addr
	}
	u, err := url.Parse(base)
	if err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("agones: sidecar address %q is not host:port or an http URL", addr)
	}
	tr := &http.Transport{
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		MaxIdleConns:        4,
		MaxIdleConnsPerHost: 4,
		IdleConnTimeout:     30 * time.Second,
	}
	c := &Client{
		base:    strings.TrimRight(u.String(), "/"),
		tr:      tr,
		hc:      &http.Client{Transport: tr},
		backoff: opts.Backoff.withDefaults(),
		timeout: opts.Timeout,
		clock:   opts.Clock,
	}
	if c.timeout <= 0 {
		c.timeout = DefaultTimeout
	}
	if c.clock == nil {
		c.clock = SystemClock()
	}
	return c, nil
}

// LookupEnv finds environment variables; os.LookupEnv is one.
type LookupEnv func(key string) (string, bool)

// ClientFromEnv returns a client of the sidecar on localhost at the port of
// AGONES_SDK_HTTP_PORT, looked up with lookup (nil: os.LookupEnv). When the
// variable is unset the server is not under Agones: it returns nil, false
// and no error. A value that is not a port number is an error.
func ClientFromEnv(lookup LookupEnv, opts ClientOptions) (*Client, bool, error) {
	port, ok, err := portFromEnv(lookup)
	if err != nil || !ok {
		return nil, false, err
	}
	c, err := NewClient(net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), opts)
	return c, err == nil, err
}

// portFromEnv reads EnvHTTPPort.
func portFromEnv(lookup LookupEnv) (int, bool, error) {
	if lookup == nil {
		lookup = os.LookupEnv
	}
	v, ok := lookup(EnvHTTPPort)
	if !ok {
		return 0, false, nil
	}
	port, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || port < 1 || port > 65535 {
		return 0, false, fmt.Errorf("agones: %s is %q, want a port number from 1 to 65535", EnvHTTPPort, v)
	}
	return port, true, nil
}

// URL returns the sidecar's base URL, such as "http://127.0.0.1:9358".
func (c *Client) URL() string { return c.base }

// Close releases the client's idle connections. A watch stream in progress
// ends when its context does.
func (c *Client) Close() error {
	c.tr.CloseIdleConnections()
	return nil
}

// withAttempts returns a client sharing c's connections that makes at most
// n attempts of each call.
func (c *Client) withAttempts(n int) *Client {
	d := *c
	d.backoff.Attempts = n
	return &d
}

// do makes the call named call: it sends in (nil: no body) as JSON and
// decodes the answer into out (nil: discard it), retrying while the sidecar
// does not answer.
func (c *Client) do(ctx context.Context, call, method, path string, in, out any) error {
	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return &Error{Call: call, Method: method, Path: path, Err: err}
		}
	}
	var delay time.Duration
	for attempt := 1; ; attempt++ {
		err := c.once(ctx, call, method, path, body, out)
		var e *Error
		if err == nil || !errors.As(err, &e) || !e.Unreachable() && e.Status != http.StatusServiceUnavailable ||
			attempt >= c.backoff.Attempts || ctx.Err() != nil {
			return err
		}
		delay = c.backoff.next(delay)
		if sleep(ctx, c.clock, delay) != nil {
			return err
		}
	}
}

// once makes one attempt of a call.
func (c *Client) once(ctx context.Context, call, method, path string, body []byte, out any) error {
	fail := func(status int, err error) error {
		return &Error{Call: call, Method: method, Path: path, Status: status, Err: err}
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return fail(0, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.hc.Do(req)
	if err != nil {
		return fail(0, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return fail(0, err)
	}
	if resp.StatusCode/100 != 2 {
		return answerError(call, method, path, resp.StatusCode, data)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fail(resp.StatusCode, err)
	}
	return nil
}

// answerError is the *Error of an answer with a status other than 2xx.
func answerError(call, method, path string, status int, data []byte) error {
	e := &Error{Call: call, Method: method, Path: path, Status: status}
	var st rpcStatus
	if err := json.Unmarshal(data, &st); err != nil {
		e.Message = strings.TrimSpace(string(data))
		if len(e.Message) > 200 {
			e.Message = e.Message[:200] + "..."
		}
		if e.Message == "" {
			e.Message = http.StatusText(status)
		}
		return e
	}
	e.Code, e.Message = st.Code, st.Message
	return e
}

// Ready tells Agones the server may be allocated (POST /ready).
func (c *Client) Ready(ctx context.Context) error {
	return c.do(ctx, "Ready", http.MethodPost, "/ready", empty, nil)
}

// Health sends a health ping (POST /health with {}).
func (c *Client) Health(ctx context.Context) error {
	return c.do(ctx, "Health", http.MethodPost, "/health", empty, nil)
}

// Allocate marks the GameServer Allocated (POST /allocate).
func (c *Client) Allocate(ctx context.Context) error {
	return c.do(ctx, "Allocate", http.MethodPost, "/allocate", empty, nil)
}

// Reserve marks the GameServer Reserved for d, rounded down to whole
// seconds, after which it is Ready again; 0 reserves it until the next
// lifecycle call (POST /reserve {"seconds":"N"}). A negative d is an error.
func (c *Client) Reserve(ctx context.Context, d time.Duration) error {
	if d < 0 {
		return &Error{Call: "Reserve", Method: http.MethodPost, Path: "/reserve",
			Err: fmt.Errorf("reservation of %v, want 0 or more", d)}
	}
	return c.do(ctx, "Reserve", http.MethodPost, "/reserve", seconds{Seconds: Int64(d / time.Second)}, nil)
}

// Shutdown tells Agones to shut the GameServer down (POST /shutdown); the
// process must still exit by itself.
func (c *Client) Shutdown(ctx context.Context) error {
	return c.do(ctx, "Shutdown", http.MethodPost, "/shutdown", empty, nil)
}

// GameServer returns the GameServer object (GET /gameserver).
func (c *Client) GameServer(ctx context.Context) (*GameServer, error) {
	gs := new(GameServer)
	if err := c.do(ctx, "GameServer", http.MethodGet, "/gameserver", nil, gs); err != nil {
		return nil, err
	}
	return gs, nil
}

// SetLabel sets the label agones.dev/sdk-KEY to value on the GameServer
// (PUT /metadata/label). In a cluster key and value must follow Kubernetes'
// label rules; see SanitizeLabelValue and CheckLabelKey.
func (c *Client) SetLabel(ctx context.Context, key, value string) error {
	return c.do(ctx, "SetLabel", http.MethodPut, "/metadata/label", keyValue{Key: key, Value: value}, nil)
}

// SetAnnotation sets the annotation agones.dev/sdk-KEY to value on the
// GameServer (PUT /metadata/annotation).
func (c *Client) SetAnnotation(ctx context.Context, key, value string) error {
	return c.do(ctx, "SetAnnotation", http.MethodPut, "/metadata/annotation", keyValue{Key: key, Value: value}, nil)
}

// listPath is the route of the list name, escaped.
func listPath(name string) string { return "/v1beta1/lists/" + url.PathEscape(name) }

// GetList returns the list name (GET /v1beta1/lists/NAME); a list the
// GameServer's spec does not declare is an error matching IsNotFound.
func (c *Client) GetList(ctx context.Context, name string) (*List, error) {
	l := new(List)
	if err := c.do(ctx, "GetList", http.MethodGet, listPath(name), nil, l); err != nil {
		return nil, err
	}
	return l, nil
}

// AddListValue adds value to the list name (POST
// /v1beta1/lists/NAME:addValue); a value already there is an error matching
// IsAlreadyExists.
func (c *Client) AddListValue(ctx context.Context, name, value string) error {
	return c.do(ctx, "AddListValue", http.MethodPost, listPath(name)+":addValue", listValue{Value: value}, nil)
}

// RemoveListValue removes value from the list name (POST
// /v1beta1/lists/NAME:removeValue); a value not there is an error matching
// IsNotFound.
func (c *Client) RemoveListValue(ctx context.Context, name, value string) error {
	return c.do(ctx, "RemoveListValue", http.MethodPost, listPath(name)+":removeValue", listValue{Value: value}, nil)
}

// SetListCapacity sets the capacity of the list name (PATCH
// /v1beta1/lists/NAME {"capacity":"N"}); Agones allows 0 to 1000.
func (c *Client) SetListCapacity(ctx context.Context, name string, capacity int64) error {
	return c.do(ctx, "SetListCapacity", http.MethodPatch, listPath(name), listCapacity{Capacity: Int64(capacity)}, nil)
}

// counterPath is the route of the counter name, escaped.
func counterPath(name string) string { return "/v1beta1/counters/" + url.PathEscape(name) }

// GetCounter returns the counter name (GET /v1beta1/counters/NAME).
func (c *Client) GetCounter(ctx context.Context, name string) (*Counter, error) {
	k := new(Counter)
	if err := c.do(ctx, "GetCounter", http.MethodGet, counterPath(name), nil, k); err != nil {
		return nil, err
	}
	return k, nil
}

// UpdateCounter changes the counter name (PATCH /v1beta1/counters/NAME) and
// returns it as it is afterwards.
func (c *Client) UpdateCounter(ctx context.Context, name string, u CounterUpdate) (*Counter, error) {
	k := new(Counter)
	if err := c.do(ctx, "UpdateCounter", http.MethodPatch, counterPath(name), u, k); err != nil {
		return nil, err
	}
	return k, nil
}

// SetPlayerCapacity sets the capacity of alpha player tracking (PUT
// /alpha/player/capacity {"count":"N"}); it starts at 0. With the
// PlayerTracking feature gate off every alpha call is an error.
func (c *Client) SetPlayerCapacity(ctx context.Context, n int64) error {
	return c.do(ctx, "SetPlayerCapacity", http.MethodPut, "/alpha/player/capacity", count{Count: Int64(n)}, nil)
}

// PlayerCapacity returns the capacity of alpha player tracking (GET
// /alpha/player/capacity).
func (c *Client) PlayerCapacity(ctx context.Context) (int64, error) {
	var n count
	err := c.do(ctx, "GetPlayerCapacity", http.MethodGet, "/alpha/player/capacity", nil, &n)
	return int64(n.Count), err
}

// PlayerConnect records that the player id connected (POST
// /alpha/player/connect); it reports false when id was already connected.
func (c *Client) PlayerConnect(ctx context.Context, id string) (bool, error) {
	var b boolean
	err := c.do(ctx, "PlayerConnect", http.MethodPost, "/alpha/player/connect", playerID{PlayerID: id}, &b)
	return b.Bool, err
}

// PlayerDisconnect records that the player id left (POST
// /alpha/player/disconnect); it reports false when id was not connected.
func (c *Client) PlayerDisconnect(ctx context.Context, id string) (bool, error) {
	var b boolean
	err := c.do(ctx, "PlayerDisconnect", http.MethodPost, "/alpha/player/disconnect", playerID{PlayerID: id}, &b)
	return b.Bool, err
}

// PlayerCount returns the number of connected players (GET
// /alpha/player/count).
func (c *Client) PlayerCount(ctx context.Context) (int64, error) {
	var n count
	err := c.do(ctx, "GetPlayerCount", http.MethodGet, "/alpha/player/count", nil, &n)
	return int64(n.Count), err
}

// ConnectedPlayers returns the IDs of the connected players (GET
// /alpha/player/connected).
func (c *Client) ConnectedPlayers(ctx context.Context) ([]string, error) {
	var l playerList
	err := c.do(ctx, "GetConnectedPlayers", http.MethodGet, "/alpha/player/connected", nil, &l)
	return l.List, err
}

// IsPlayerConnected reports whether the player id is connected (GET
// /alpha/player/connected/ID).
func (c *Client) IsPlayerConnected(ctx context.Context, id string) (bool, error) {
	var b boolean
	err := c.do(ctx, "IsPlayerConnected", http.MethodGet, "/alpha/player/connected/"+url.PathEscape(id), nil, &b)
	return b.Bool, err
}
