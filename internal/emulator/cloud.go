package emulator

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// cloud is what every API of one cloud shares: its signature scheme and
// how its gateway answers what it refuses (routing, signatures,
// throttling), the same whichever API a request is for.
type cloud struct {
	// shape is how the gateway answers, and the shape of an API that
	// states none.
	shape *shape
	// verify checks a request's signature.
	verify func(s *Server, r *http.Request, body []byte) *authError
	// notFound answers a request no API matches; methodNotAllowed one
	// whose API takes another method.
	notFound, methodNotAllowed func(c *call) *response
	// bodyUnreadable answers a request whose body could not be read.
	bodyUnreadable func(c *call) *response
	// params are the request's parameters; malformedParams refuses them.
	params          func(r *http.Request, body []byte) (url.Values, error)
	malformedParams func(c *call) *response
	// wrongVersion refuses an RPC request for another version of an API.
	wrongVersion func(c *call) *response
	// throttled answers Faults.ThrottleEvery; rateLimited a request over
	// Faults.RateLimit, stating the limit.
	throttled   func(c *call) *response
	rateLimited func(c *call, limit int) *response
	// serverErrorStatus and serverErrorMessage are the status and text of
	// the answer to Faults.ServerErrorEvery (its code is the API's).
	serverErrorStatus  int
	serverErrorMessage string
	// tokenHeader is the header of a security token; echoSecrets the text
	// of a HostileEchoSecrets refusal.
	tokenHeader string
	echoSecrets func(s *Server, c *call) string
	// secretKey is the account's secret key, which HostileEchoForms sends
	// back.
	secretKey func(s *Server) string
	// gateway is how it answers a bad signature and throttling, for the
	// fixtures.
	gateway Gateway
}

// shape is how a service answers: its request ids, headers and error
// body, and the codes of the refusals the hostile modes invent.
type shape struct {
	requestID       func(now time.Time) string
	contentType     string
	requestIDHeader string
	errorBody       func(c *call, code, msg string) any
	// echoStatus and echoCode refuse a request for HostileEchoSecrets,
	// forbiddenCode for HostileBidiError (HTTP 403).
	echoStatus              int
	echoCode, forbiddenCode string
}

type hwErrorBody struct {
	ErrorCode string `json:"error_code"`
	ErrorMsg  string `json:"error_msg"`
}

type secmasterErrorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

type aliErrorBody struct {
	Code      string `json:"Code"`
	Message   string `json:"Message"`
	RequestID string `json:"RequestId"`
	HostID    string `json:"HostId"`
}

// The answer shapes: Huawei's API gateway and the services behind it that
// answer in its shape (IAM, Workspace), SecMaster, which has its own, and
// Alibaba's.
var (
	huaweiShape = &shape{
		requestID:   func(time.Time) string { return newHex(16) },
		contentType: "application/json;charset=UTF-8", requestIDHeader: "X-Request-Id",
		errorBody:  func(_ *call, code, msg string) any { return hwErrorBody{ErrorCode: code, ErrorMsg: msg} },
		echoStatus: http.StatusUnauthorized, echoCode: "APIGW.0301", forbiddenCode: "WKS.00000403",
	}
	secmasterShape = &shape{
		requestID: func(now time.Time) string {
			return fmt.Sprintf("%s-%d-opsaudit-emulator", newHex(16), now.UnixMilli())
		},
		contentType: "application/json;charset=UTF-8", requestIDHeader: "X-request-id",
		errorBody:  func(_ *call, code, msg string) any { return secmasterErrorBody{Code: code, Message: msg} },
		echoStatus: http.StatusUnauthorized, echoCode: "SecMaster.00040100", forbiddenCode: "SecMaster.00040300",
	}
	aliShape = &shape{
		requestID:   func(time.Time) string { return aliRequestID() },
		contentType: "application/json;charset=utf-8", requestIDHeader: "x-acs-request-id",
		errorBody: func(c *call, code, msg string) any {
			return aliErrorBody{Code: code, Message: msg, RequestID: c.reqID, HostID: c.r.Host}
		},
		echoStatus: http.StatusBadRequest, echoCode: "IncompleteSignature", forbiddenCode: "Forbidden.RAM",
	}
)

// The answers of the Huawei API gateway to a bad signature and to
// throttling, the same for every Huawei API.
const (
	huaweiBadSignature = "APIG.0301"
	huaweiThrottled    = "APIG.0308"
)

// The clouds.
var (
	huawei = &cloud{
		shape:  huaweiShape,
		verify: (*Server).verifyHuawei,
		notFound: func(c *call) *response {
			return c.gatewayError(http.StatusNotFound, "APIG.0101", "The API does not exist or has not been published in the environment.")
		},
		methodNotAllowed: func(c *call) *response {
			return c.gatewayError(http.StatusMethodNotAllowed, "APIG.0101", fmt.Sprintf("Method %s is not allowed for this API.", c.r.Method))
		},
		bodyUnreadable: func(c *call) *response {
			return c.gatewayError(http.StatusRequestEntityTooLarge, "APIG.0201", "The request body could not be read.")
		},
		params: func(r *http.Request, _ []byte) (url.Values, error) { return url.ParseQuery(r.URL.RawQuery) },
		malformedParams: func(c *call) *response {
			return c.serviceError(http.StatusBadRequest, "The query string is malformed.")
		},
		throttled: func(c *call) *response {
			limit := c.faults.ThrottleLimit
			if limit == "" {
				limit = "limit:20, time:1 second"
			}
			return c.gatewayError(http.StatusTooManyRequests, huaweiThrottled, "The throttling threshold has been reached: policy user over ratelimit, "+limit)
		},
		// Huawei's API Gateway (in front of every Huawei service alike)
		// answers HTTP 429 APIG.0308 stating the limit.
		rateLimited: func(c *call, limit int) *response {
			return c.gatewayError(http.StatusTooManyRequests, huaweiThrottled,
				fmt.Sprintf("The throttling threshold has been reached: policy user over ratelimit,limit:%d,time:1 second", limit))
		},
		serverErrorStatus:  http.StatusInternalServerError,
		serverErrorMessage: "Internal server error.",
		tokenHeader:        "X-Security-Token",
		echoSecrets: func(s *Server, c *call) string {
			return fmt.Sprintf("Incorrect IAM authentication information: Authorization=%s X-Security-Token=%s SK=%s",
				c.r.Header.Get("Authorization"), c.r.Header.Get("X-Security-Token"), s.opts.HuaweiSecretKey)
		},
		secretKey: func(s *Server) string { return s.opts.HuaweiSecretKey },
		gateway: Gateway{WrongSecretStatus: http.StatusUnauthorized, WrongSecretCode: huaweiBadSignature,
			ThrottleStatus: http.StatusTooManyRequests, ThrottleCode: huaweiThrottled},
	}
	// Alibaba answers a bad signature with 400, not 401, and throttling
	// with 400 too.
	alibaba = &cloud{
		shape:  aliShape,
		verify: (*Server).verifyAli,
		notFound: func(c *call) *response {
			return c.gatewayError(http.StatusBadRequest, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.")
		},
		methodNotAllowed: func(c *call) *response {
			return c.gatewayError(http.StatusMethodNotAllowed, "UnsupportedHTTPMethod", "This http method is not supported.")
		},
		bodyUnreadable: func(c *call) *response {
			return c.gatewayError(http.StatusRequestEntityTooLarge, "InvalidParameter", "The request body could not be read.")
		},
		params: aliParams,
		malformedParams: func(c *call) *response {
			return c.gatewayError(http.StatusBadRequest, "InvalidParameter", "The request parameters are malformed.")
		},
		wrongVersion: func(c *call) *response {
			return c.gatewayError(http.StatusBadRequest, "InvalidVersion", "Specified parameter Version is not valid.")
		},
		// Throttling states no limit.
		throttled:          aliThrottled,
		rateLimited:        func(c *call, _ int) *response { return aliThrottled(c) },
		serverErrorStatus:  http.StatusServiceUnavailable,
		serverErrorMessage: "The request has failed due to a temporary failure of the server.",
		tokenHeader:        "X-Acs-Security-Token",
		echoSecrets: func(s *Server, c *call) string {
			return fmt.Sprintf("The request signature does not conform to Aliyun standards. Authorization: %s; x-acs-security-token: %s; secret: %s",
				c.r.Header.Get("Authorization"), c.r.Header.Get("X-Acs-Security-Token"), s.opts.AliSecretKey)
		},
		secretKey: func(s *Server) string { return s.opts.AliSecretKey },
		gateway: Gateway{WrongSecretStatus: http.StatusBadRequest, WrongSecretCode: "SignatureDoesNotMatch",
			ThrottleStatus: http.StatusBadRequest, ThrottleCode: "Throttling.User"},
	}
)

// aliThrottled is Alibaba's answer to throttling, Faults.ThrottleEvery
// and Faults.RateLimit alike.
func aliThrottled(c *call) *response {
	return c.gatewayError(http.StatusBadRequest, "Throttling.User", "Request was denied due to user flow control.")
}

// aliParams are an RPC request's parameters: the query, and a
// form-encoded body (application/x-www-form-urlencoded) merged in; on
// an error, as many of them as parsed (the router reads the action and
// version from those).
func aliParams(r *http.Request, body []byte) (url.Values, error) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return q, err
	}
	if len(body) > 0 && strings.HasPrefix(strings.ToLower(r.Header.Get("Content-Type")), "application/x-www-form-urlencoded") {
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return q, err
		}
		for k, v := range form {
			q[k] = append(q[k], v...)
		}
	}
	return q, nil
}

// retryAfter adds Faults.RetryAfter to a throttling answer.
func (c *call) retryAfter(resp *response) *response {
	if ra := c.faults.RetryAfter; ra > 0 {
		resp.header["Retry-After"] = []string{strconv.Itoa(int(math.Ceil(ra.Seconds())))}
	}
	return resp
}
