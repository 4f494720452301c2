// Package emulator is a local, in-process emulator of the cloud APIs the
// provider reads, plus the Huawei IAM project lookup. Provider unit tests,
// Terraform acceptance tests and `make demo` point every endpoint at one
// base URL (Server.URL).
//
// # Plug-ins
//
// Each API is a plug-in: one file, api_<service>_<name>.go, with its test
// beside it, that registers itself from its init function. Its API*
// constant (its name in Requests, Recorded, Throttled and Faults.APIs)
// documents its route, filters, paging and errors; the file holds its
// handler, its items and their part of the Dataset (fixture JSON key,
// generator with its sizes and their command flags, banner summary), its
// Fixture, its error codes and the fields its hostile answers rewrite.
// The rest of the package knows no API by name: it routes, checks
// signatures, injects faults and hostile answers, and builds the dataset,
// the generator, the summary and Fixtures from the plug-ins, in their
// order.
//
// Routing: a Huawei request goes by its path (each segment decoded, with
// named parameters such as {project_id}; a project id that is not in
// Dataset.Projects is 403 APIG.0302, refused by the gateway) and then its
// method. An Alibaba RPC request (POST or GET "/") goes by its action, the
// x-acs-action header (ACS3) or the Action parameter (query or form body,
// the RPC style), and then its version (x-acs-version or Version). The
// credential services (credentials.go) are answered before routing.
//
// Per request the order is: record and count; routing (an unknown path is
// 404 APIG.0101 and a wrong method 405, before any signature check, as
// the API gateway answers); injected latency; signature check; the gateway
// rate limit (Faults.RateLimit: a token bucket per API for every client,
// answered as each cloud's gateway throttles, counted by Throttled);
// injected faults (throttle, server error, stall); parameters (an unknown
// RPC action is 400 InvalidAction.NotFound here, counted as APIUnknown; a
// known one with another version 400 InvalidVersion); the answer
// (rewritten, or replaced by a refusal, when Faults.Hostile asks for an
// answer a broken or hostile server would give: see Hostile); then body
// truncation.
//
// # Signature rules
//
// The canonical request is rebuilt from what arrived: the method; the path,
// each segment decoded and re-encoded keeping only A-Z a-z 0-9 - _ . ~ (Huawei
// appends "/"); the query parsed as application/x-www-form-urlencoded ('+' is
// a space) and re-encoded the same way, sorted by raw name, then raw value;
// the signed headers in the order listed, values trimmed, repeated headers
// joined with ',', host taken from the request's Host; and the SHA-256 of
// the body (Alibaba: the x-acs-content-sha256 header, which must match the
// body). Huawei requests must sign host and x-sdk-date (and x-security-token
// when a token is configured); X-Sdk-Date must be within 15 minutes of
// Options.Now; every failure is 401 APIG.0301. Alibaba requests must carry
// x-acs-date (within 15 minutes), x-acs-signature-nonce (never reused within
// 15 minutes) and x-acs-content-sha256, and must sign host, content-type when
// sent and every x-acs-* header sent. Alibaba failures: 400
// IncompleteSignature, 404 InvalidAccessKeyId.NotFound, 400
// SignatureDoesNotMatch, 400 InvalidTimeStamp.Expired (or .Format), 400
// SignatureNonceUsed, 400 InvalidSecurityToken.MismatchWithAccessKey. A
// security token sent when none is configured is refused by both clouds.
//
// # Generated data and ids
//
// Generate is deterministic for a seed and Sizes and never reads the clock:
// its data ends at DataEnd, 2026-11-20T12:00:00Z (script records and audit
// logs spread over the three days before it), which tests and fixtures pin.
// GenerateAt ends the same data at another instant; the emulator command
// passes its start time unless -now pins one. The projects are one per
// region in HuaweiRegions, id ProjectID(region) (32 hex digits of SHA-256
// of "opsaudit-emulator/project/"+region); cn-north-4 is the demo region.
// Every project sees the same data. Each API's generator documents its
// ids; every API draws from one random source in turn, in the APIs'
// order.
//
// # Parameters and errors
//
// A non-array parameter given twice is a 400. Offset-paged answers beyond the
// end are empty lists, never null.
//
// The documents fix the shapes, not the codes; the gateways answer:
// Huawei {"error_code","error_msg"} with 401 APIG.0301, 403 APIG.0302,
// 429 APIG.0308, 404/405 APIG.0101 (routing); Alibaba
// {"Code","Message","RequestId","HostId"} with the signature codes above,
// InvalidAction.NotFound, InvalidVersion, 400 Throttling.User and 503
// ServiceUnavailable. A service answers its own errors (bad parameter,
// unknown parent, server error) with its plug-in's codes in its shape:
// Workspace and IAM the gateway's, SecMaster {"code","message"} (its
// gateway errors keep the gateway shape). Every Huawei answer has an
// X-Request-Id header (SecMaster: X-request-id), every Alibaba answer
// x-acs-request-id and a RequestId.
package emulator
