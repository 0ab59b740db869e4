package agones

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"time"
)

// DefaultEndpointTimeout bounds LookupEndpoint when its context has no
// deadline.
const DefaultEndpointTimeout = 30 * time.Second

// Endpoint is where players and server browsers reach a game server under
// Agones: with portPolicy Dynamic the host port differs from the container
// port, so a server binds its container port and advertises this one
// (steamgs.Config.GamePort, in GameSocketShare mode) and, with the embedded
// Steam, IP as its public address.
type Endpoint struct {
	// Address is the GameServer's status.address.
	Address string
	// IP is Address parsed, the zero Addr when Address is a host name.
	IP netip.Addr
	// Port is the host port of the port asked for.
	Port uint16
	// GameServer is the GameServer the address was read from.
	GameServer *GameServer
}

// Endpoint waits until the GameServer has an address and a host port named
// port (Agones fills them in once the pod is scheduled), fetching it with
// the client's back-off, and returns them. It gives up when ctx is done
// (after DefaultEndpointTimeout when ctx has no deadline), with an error
// that says what was missing.
func (c *Client) Endpoint(ctx context.Context, port string) (Endpoint, error) {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, DefaultEndpointTimeout)
		defer cancel()
	}
	var delay time.Duration
	var last error
	for {
		gs, err := c.GameServer(ctx)
		if err == nil {
			p, ok := gs.Port(port)
			switch {
			case gs.Status.Address == "":
				last = errors.New("the GameServer has no status.address yet")
			case !ok:
				last = fmt.Errorf("the GameServer has no port named %q (it has %s)", port, portNames(gs))
			default:
				ip, _ := netip.ParseAddr(gs.Status.Address)
				return Endpoint{Address: gs.Status.Address, IP: ip.Unmap(), Port: p, GameServer: gs}, nil
			}
		} else {
			last = err
		}
		delay = c.backoff.next(delay)
		if sleep(ctx, c.clock, delay) != nil {
			return Endpoint{}, fmt.Errorf("agones: endpoint of port %q: gave up waiting (%w): %w", port, ctx.Err(), last)
		}
	}
}

func portNames(gs *GameServer) string {
	if len(gs.Status.Ports) == 0 {
		return "none"
	}
	s := ""
	for i, p := range gs.Status.Ports {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%q", p.Name)
	}
	return s
}

// LookupEndpoint is Client.Endpoint for a server that may not be under
// Agones: with AGONES_SDK_HTTP_PORT unset (looked up with lookup, nil:
// os.LookupEnv) it returns false and does nothing; otherwise it waits for
// the endpoint of port as Endpoint does and reports true.
func LookupEndpoint(ctx context.Context, lookup LookupEnv, opts ClientOptions, port string) (Endpoint, bool, error) {
	c, ok, err := ClientFromEnv(lookup, opts)
	if err != nil || !ok {
		return Endpoint{}, false, err
	}
	defer c.Close()
	ep, err := c.Endpoint(ctx, port)
	return ep, true, err
}
