package emulator

import (
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func TestCheckIDToken(t *testing.T) {
	now := time.Now()
	valid, err := IDToken("ci", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	expired, err := IDToken("ci", -time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	// Same claims, signed with a key that is not the emulator's (HS256
	// with the public key's bytes as secret: the algorithm confusion
	// attack), and unsigned.
	claims := jwt.RegisteredClaims{Issuer: OIDCIssuer, Audience: jwt.ClaimStrings{OIDCAudience}, ExpiresAt: jwt.NewNumericDate(now.Add(time.Hour))}
	pub := []byte(oidcKey.Public().(ed25519.PublicKey))
	confused, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(pub)
	if err != nil {
		t.Fatal(err)
	}
	unsigned, err := jwt.NewWithClaims(jwt.SigningMethodNone, claims).SignedString(jwt.UnsafeAllowNoneSignatureType)
	if err != nil {
		t.Fatal(err)
	}
	otherIssuer := jwt.RegisteredClaims{Issuer: "https://elsewhere.invalid", Audience: jwt.ClaimStrings{OIDCAudience}, ExpiresAt: jwt.NewNumericDate(now.Add(time.Hour))}
	wrongIssuer, err := jwt.NewWithClaims(jwt.SigningMethodEdDSA, otherIssuer).SignedString(oidcKey)
	if err != nil {
		t.Fatal(err)
	}
	noExpiry, err := jwt.NewWithClaims(jwt.SigningMethodEdDSA, jwt.RegisteredClaims{Issuer: OIDCIssuer, Audience: jwt.ClaimStrings{OIDCAudience}}).SignedString(oidcKey)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(valid, ".")
	tampered := parts[0] + "." + parts[1] + "x." + parts[2]

	if err := checkIDToken(valid, now); err != nil {
		t.Errorf("valid token: %v", err)
	}
	if err := checkIDToken(expired, now); !errors.Is(err, errTokenExpired) {
		t.Errorf("expired token: %v, want errTokenExpired", err)
	}
	for name, tok := range map[string]string{"HS256 with the public key": confused, "alg none": unsigned, "other issuer": wrongIssuer,
		"no expiry": noExpiry, "tampered claims": tampered, "not a JWT": "abc"} {
		if err := checkIDToken(tok, now); err == nil || errors.Is(err, errTokenExpired) {
			t.Errorf("%s: accepted (%v)", name, err)
		}
	}
}
