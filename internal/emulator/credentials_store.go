package emulator

import (
	"fmt"
	"strings"
	"sync"
	"time"
)

// What the credential services issued (credentials, IAM tokens, metadata
// tokens), kept for the signature checks and the tests.

// issued is a credential the emulator handed out.
type issued struct {
	huawei         bool
	secret, token  string
	expires        time.Time
	issuer, signer string // signer: the access key that asked, if any
}

// credStore holds issued credentials, IAM tokens and metadata tokens.
type credStore struct {
	mu       sync.Mutex
	keys     map[string]issued
	tokens   map[string]time.Time // IAM X-Subject-Token and IMDS tokens -> expiry
	sequence int
}

func (st *credStore) issue(now time.Time, life time.Duration, huawei bool, issuer, signer string) (string, issued) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.keys == nil {
		st.keys = map[string]issued{}
	}
	st.sequence++
	prefix := "STS.EMU"
	if huawei {
		prefix = "HWSTSEMU"
	}
	ak := fmt.Sprintf("%s%04d%s", prefix, st.sequence, strings.ToUpper(newHex(6)))
	is := issued{huawei: huawei, secret: "emu-sk-" + newHex(16), token: "emu-token-" + newHex(32),
		expires: now.Add(life).Truncate(time.Second), issuer: issuer, signer: signer}
	st.keys[ak] = is
	return ak, is
}

func (st *credStore) lookup(ak string) (issued, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	is, ok := st.keys[ak]
	return is, ok
}

func (st *credStore) newToken(now time.Time, life time.Duration) string {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.tokens == nil {
		st.tokens = map[string]time.Time{}
	}
	t := "emu-" + newHex(24)
	st.tokens[t] = now.Add(life)
	return t
}

func (st *credStore) validToken(t string, now time.Time) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	exp, ok := st.tokens[t]
	return ok && now.Before(exp)
}

// IssuedBy reports which credential service issued an access key (one of
// the Issuer constants), and false for a key the emulator did not issue.
func (s *Server) IssuedBy(accessKey string) (string, bool) {
	is, ok := s.creds.lookup(accessKey)
	return is.issuer, ok
}

// IssuedTo reports the access key that signed the request that obtained
// accessKey (empty for a key obtained without a signature).
func (s *Server) IssuedTo(accessKey string) string {
	is, _ := s.creds.lookup(accessKey)
	return is.signer
}

// IssuedSecrets lists every secret the credential services handed out:
// secret keys, security tokens, IAM tokens and metadata tokens (for tests
// that look for them where they must not be).
func (s *Server) IssuedSecrets() []string {
	st := &s.creds
	st.mu.Lock()
	defer st.mu.Unlock()
	var out []string
	for _, is := range st.keys {
		out = append(out, is.secret, is.token)
	}
	for t := range st.tokens {
		out = append(out, t)
	}
	return out
}
