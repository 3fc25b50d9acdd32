package api

import (
	"math"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5/middleware"
	"github.com/go-chi/httprate"
)

// Defaults of Config.FailureLimit and Config.FailureWindow: ten wrong keys
// a minute is more than a person mistyping or pasting the wrong key makes,
// and far too few to guess one.
const (
	DefaultFailureLimit  = 10
	DefaultFailureWindow = time.Minute
)

// failureLimiter refuses a client that has failed too many key checks.
// Only failures count, so a busy integration with a good key is never
// slowed down: authenticate and login ask blocked before checking a key
// and call failed after a wrong one. It keeps httprate's sliding-window
// counter (the previous window weighted by how much of it still overlaps)
// but not its middleware, which would count every request.
//
// A check and its count are not one step, so attempts sent at the same
// moment can pass the limit by as many as are in flight together.
//
// The counts live in this process: with several replicas each counts on
// its own, so a client may make up to the limit at each of them.
type failureLimiter struct {
	rl     *httprate.RateLimiter
	limit  int
	window time.Duration
}

func newFailureLimiter(limit int, window time.Duration) *failureLimiter {
	// Our own counter (httprate's in-memory one) keeps the limiter's windows
	// aligned to the clock, so failed can name the current window when it
	// increments the counter directly.
	counter := httprate.NewLocalLimitCounter(window)
	return &failureLimiter{rl: httprate.NewRateLimiter(limit, window, httprate.WithLimitCounter(counter)),
		limit: limit, window: window}
}

// blocked reports whether client has used up its failures and, if so, how
// long until one more attempt would be let through.
func (l *failureLimiter) blocked(client string) (time.Duration, bool) {
	_, rate, err := l.rl.Status(client)
	// The in-memory counter never fails; were it to, checking the key is
	// the safer answer than refusing everyone.
	if err != nil || !l.over(rate) {
		return 0, false
	}
	now := time.Now().UTC()
	cur := now.Truncate(l.window)
	curCount, prevCount, _ := l.rl.Counter().Get(client, cur, cur.Add(-l.window))
	return l.retryAfter(now.Sub(cur), curCount, prevCount), true
}

// over is httprate's own test (OnLimit): one more attempt on top of the
// rounded rate would pass the limit.
func (l *failureLimiter) over(rate float64) bool {
	return int(math.Round(rate))+1 > l.limit
}

// retryAfter is how long until the sliding rate falls low enough for one
// more attempt, with no new failures meanwhile: the previous window's
// count fades out over the current window, then the current one's over
// the next. elapsed is how far into the current window we are.
func (l *failureLimiter) retryAfter(elapsed time.Duration, cur, prev int) time.Duration {
	// The rate must drop below limit-0.5 so that it rounds to at most
	// limit-1.
	target := float64(l.limit) - 0.5
	w := float64(l.window)
	var wait float64
	switch {
	case prev == 0 && float64(cur) < target:
		return 0 // not over the limit after all
	case float64(cur) < target:
		// Within this window: prev·(1−x) + cur < target.
		wait = w*(1-(target-float64(cur))/float64(prev)) - float64(elapsed)
	default:
		// Into the next window: cur·(1−x) < target.
		wait = w - float64(elapsed) + w*(1-target/float64(cur))
	}
	return max(time.Duration(wait), 0)
}

// failed counts one failed key check by client.
func (l *failureLimiter) failed(client string) {
	_ = l.rl.Counter().Increment(client, time.Now().UTC().Truncate(l.window))
}

// retryAfterSeconds is the Retry-After value for d: whole seconds, rounded
// up and at least one, so a client that waits that long is let through.
func retryAfterSeconds(d time.Duration) string {
	return strconv.Itoa(max(int(math.Ceil(d.Seconds())), 1))
}

// clientIPs returns the middleware that finds each request's client
// address. Without trusted proxies it is the TCP peer, which no client
// can choose. With them, X-Forwarded-For is read right to left past the
// trusted hops, as nginx's set_real_ip_from does, so neither a client
// talking to the server directly nor one sending its own
// X-Forwarded-For through the proxy can pick an address.
func clientIPs(trusted []netip.Prefix) func(http.Handler) http.Handler {
	if len(trusted) == 0 {
		return middleware.ClientIPFromRemoteAddr
	}
	cidrs := make([]string, len(trusted))
	for i, p := range trusted {
		cidrs[i] = p.String()
	}
	return middleware.ClientIPFromXFF(cidrs...)
}

// clientKey is the limiter's key for the request's client: its address,
// IPv6 by /64 since one host usually holds a whole /64. When the proxy
// sent no usable X-Forwarded-For, the peer (the proxy) is the client, so
// such requests share one count rather than escaping it.
func clientKey(r *http.Request) string {
	ip := middleware.GetClientIP(r.Context())
	if ip == "" {
		ip = r.RemoteAddr
		if host, _, err := net.SplitHostPort(ip); err == nil {
			ip = host
		}
	}
	return httprate.CanonicalizeIP(ip)
}

// parsePrefixes parses trusted proxy addresses: CIDR prefixes, or single
// addresses standing for themselves.
func parsePrefixes(ss []string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, s := range ss {
		if p, err := netip.ParsePrefix(s); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(s)
		if err != nil {
			return nil, err
		}
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}
