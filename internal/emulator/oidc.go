package emulator

import (
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// The emulator's OIDC identity provider: it signs test id tokens with an
// Ed25519 key derived from a fixed, public seed, so that a token printed
// by one `opsaudit-emulator -print-id-token` is accepted by any emulator.
// github.com/golang-jwt/jwt/v5 does the JWT encoding and the checks of
// signature algorithm, signature, issuer and expiry (see DESIGN.md).
const (
	// OIDCIssuer is the iss of the emulator's id tokens.
	OIDCIssuer = "https://oidc.opsaudit-emulator.invalid"
	// OIDCAudience is the aud of the emulator's id tokens.
	OIDCAudience = "opsaudit"
)

var oidcKey = ed25519.NewKeyFromSeed(func() []byte {
	s := sha256.Sum256([]byte("opsaudit-emulator/oidc-signing-key/v1 (public test key)"))
	return s[:]
}())

// IDToken returns an id token of the emulator's identity provider for
// subject, expiring after ttl (a negative ttl gives an expired token).
func IDToken(subject string, ttl time.Duration) (string, error) {
	now := time.Now()
	claims := jwt.RegisteredClaims{
		Issuer:    OIDCIssuer,
		Subject:   subject,
		Audience:  jwt.ClaimStrings{OIDCAudience},
		IssuedAt:  jwt.NewNumericDate(now.Add(min(ttl, 0) - time.Minute)),
		NotBefore: jwt.NewNumericDate(now.Add(min(ttl, 0) - time.Minute)),
		ExpiresAt: jwt.NewNumericDate(now.Add(ttl)),
	}
	tok, err := jwt.NewWithClaims(jwt.SigningMethodEdDSA, claims).SignedString(oidcKey)
	if err != nil {
		return "", fmt.Errorf("emulator: signing an id token: %w", err)
	}
	return tok, nil
}

// errTokenExpired marks an id token that has expired.
var errTokenExpired = errors.New("the id token has expired")

// checkIDToken verifies an id token: Ed25519 signature by the emulator's
// key, issuer, audience and expiry (required).
func checkIDToken(tok string, now time.Time) error {
	_, err := jwt.ParseWithClaims(tok, &jwt.RegisteredClaims{}, func(*jwt.Token) (any, error) {
		return oidcKey.Public(), nil
	},
		jwt.WithValidMethods([]string{jwt.SigningMethodEdDSA.Alg()}),
		jwt.WithIssuer(OIDCIssuer),
		jwt.WithAudience(OIDCAudience),
		jwt.WithExpirationRequired(),
		jwt.WithTimeFunc(func() time.Time { return now }),
	)
	if errors.Is(err, jwt.ErrTokenExpired) {
		return errTokenExpired
	}
	return err
}
