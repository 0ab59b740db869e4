package local

import (
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/steamgs/steamgs/steamgs"
	"github.com/steamgs/steamgs/steamgs/query"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestA2SWithoutTheUniverseLock answers queries, on the shared path and on
// an own query port, while another goroutine holds the universe's lock (as
// another server's Steam call does): A2S state is each server's own, so no
// query waits for it.
func TestA2SWithoutTheUniverseLock(t *testing.T) {
	u, err := NewUniverse(Options{})
	require.NoError(t, err)
	open := func(port uint16) *Server {
		c, err := u.Open(steamgs.Config{IP: netip.MustParseAddr("127.0.0.1"), GamePort: 27015, QueryPort: port,
			Mode: steamgs.ModeAuthentication, Version: "1.0.0.0", AppID: 480})
		require.NoError(t, err)
		s := c.(*Server)
		t.Cleanup(func() { _ = s.Close() })
		s.Apply(&steamgs.Settings{ServerName: "no lock", Advertise: true}, steamgs.FieldServerName|steamgs.FieldAdvertise)
		return s
	}
	shared, own := open(steamgs.QueryPortShared), open(0)
	from := netip.MustParseAddrPort("127.0.0.1:40000")
	client, err := net.DialUDP("udp4", nil, net.UDPAddrFromAddrPort(netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), own.a2s.port)))
	require.NoError(t, err)
	defer client.Close()

	u.mu.Lock()
	done := make(chan struct{})
	var sharedReply []byte
	var ownErr error
	go func() {
		defer close(done)
		shared.HandleIncomingPacket(query.AppendRequest(nil, query.Request{Kind: query.KindInfo}), from)
		buf := make([]byte, steamgs.MinOutgoingPacketBuffer)
		n, to := shared.GetNextOutgoingPacket(buf)
		if to == from {
			sharedReply = buf[:n]
		}
		if _, ownErr = client.Write(query.AppendRequest(nil, query.Request{Kind: query.KindInfo})); ownErr != nil {
			return
		}
		_ = client.SetReadDeadline(time.Now().Add(5 * time.Second))
		_, ownErr = client.Read(buf)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
	}
	u.mu.Unlock()
	<-done
	_, err = query.ParseChallenge(sharedReply)
	assert.NoError(t, err, "shared path's reply while the universe was locked")
	assert.NoError(t, ownErr, "own query port's reply while the universe was locked")
}
