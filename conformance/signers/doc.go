// Package signers cross-checks the provider's request signers against the
// official SDKs' own signing code, byte for byte: the same request,
// signed by both, must give the same Authorization header (Huawei
// SDK-HMAC-SHA256 against huaweicloud-sdk-go-v3 core/auth/signer; Alibaba
// ACS3-HMAC-SHA256 against darabonba-openapi's GetAuthorization) or the
// same Signature parameter (Alibaba RPC SignatureVersion 1.0 against
// darabonba-openapi's GetRPCSignature). The requests are the named
// shapes of shapes_test.go (unicode, reserved characters, repeated and
// empty query keys, empty and JSON bodies, temporary-credential headers)
// and a seeded random sweep over hostile alphabets.
//
// It is a package of the conformance module (its own go.mod), so that
// no SDK enters the provider's module.
package signers
