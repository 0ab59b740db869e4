package steamgs

import "strconv"

// ServerMode is how a server authenticates its players (the SDK's EServerMode).
type ServerMode int32

// Server modes, with the SDK's values.
const (
	ModeInvalid                 ServerMode = 0
	ModeNoAuthentication        ServerMode = 1
	ModeAuthentication          ServerMode = 2
	ModeAuthenticationAndSecure ServerMode = 3
)

// InitResult is the outcome of initializing a back end (the SDK's
// ESteamAPIInitResult).
type InitResult int32

// Init results, with the SDK's values.
const (
	InitOK              InitResult = 0
	InitFailedGeneric   InitResult = 1
	InitNoSteamClient   InitResult = 2
	InitVersionMismatch InitResult = 3
)

// BeginAuthSessionResult is the synchronous answer of BeginAuthSession (the
// SDK's EBeginAuthSessionResult).
type BeginAuthSessionResult int32

// BeginAuthSession results, with the SDK's values.
const (
	BeginAuthOK               BeginAuthSessionResult = 0
	BeginAuthInvalidTicket    BeginAuthSessionResult = 1
	BeginAuthDuplicateRequest BeginAuthSessionResult = 2
	BeginAuthInvalidVersion   BeginAuthSessionResult = 3
	BeginAuthGameMismatch     BeginAuthSessionResult = 4
	BeginAuthExpiredTicket    BeginAuthSessionResult = 5
)

// AuthSessionResponse is the verdict of a ValidateAuthTicketResponse (the
// SDK's EAuthSessionResponse).
type AuthSessionResponse int32

// Auth session responses, with the SDK's values.
const (
	AuthOK                           AuthSessionResponse = 0
	AuthUserNotConnectedToSteam      AuthSessionResponse = 1
	AuthNoLicenseOrExpired           AuthSessionResponse = 2
	AuthVACBanned                    AuthSessionResponse = 3
	AuthLoggedInElseWhere            AuthSessionResponse = 4
	AuthVACCheckTimedOut             AuthSessionResponse = 5
	AuthTicketCanceled               AuthSessionResponse = 6
	AuthTicketInvalidAlreadyUsed     AuthSessionResponse = 7
	AuthTicketInvalid                AuthSessionResponse = 8
	AuthPublisherIssuedBan           AuthSessionResponse = 9
	AuthTicketNetworkIdentityFailure AuthSessionResponse = 10
)

// DenyReason is why a player is denied or kicked (the SDK's EDenyReason).
type DenyReason int32

// Deny reasons, with the SDK's values.
const (
	DenyInvalid                 DenyReason = 0
	DenyInvalidVersion          DenyReason = 1
	DenyGeneric                 DenyReason = 2
	DenyNotLoggedOn             DenyReason = 3
	DenyNoLicense               DenyReason = 4
	DenyCheater                 DenyReason = 5
	DenyLoggedInElseWhere       DenyReason = 6
	DenyUnknownText             DenyReason = 7
	DenyIncompatibleAnticheat   DenyReason = 8
	DenyMemoryCorruption        DenyReason = 9
	DenyIncompatibleSoftware    DenyReason = 10
	DenySteamConnectionLost     DenyReason = 11
	DenySteamConnectionError    DenyReason = 12
	DenySteamResponseTimedOut   DenyReason = 13
	DenySteamValidationStalled  DenyReason = 14
	DenySteamOwnerLeftGuestUser DenyReason = 15
)

// LicenseResult is the answer of UserHasLicenseForApp (the SDK's
// EUserHasLicenseForAppResult).
type LicenseResult int32

// Licence results, with the SDK's values.
const (
	HasLicense         LicenseResult = 0
	DoesNotHaveLicense LicenseResult = 1
	NoAuth             LicenseResult = 2
)

// IPType is the family of an address Steam reports (the SDK's ESteamIPType).
type IPType int32

// IP types, with the SDK's values.
const (
	IPv4 IPType = 0
	IPv6 IPType = 1
)

// Result is the SDK's general result code (EResult).
type Result int32

// Result codes, with the SDK's values (the ones a game server meets).
const (
	ResultNone                  Result = 0
	ResultOK                    Result = 1
	ResultFail                  Result = 2
	ResultNoConnection          Result = 3
	ResultInvalidPassword       Result = 5
	ResultLoggedInElsewhere     Result = 6
	ResultInvalidProtocolVer    Result = 7
	ResultInvalidParam          Result = 8
	ResultFileNotFound          Result = 9
	ResultBusy                  Result = 10
	ResultInvalidState          Result = 11
	ResultInvalidName           Result = 12
	ResultInvalidEmail          Result = 13
	ResultDuplicateName         Result = 14
	ResultAccessDenied          Result = 15
	ResultTimeout               Result = 16
	ResultBanned                Result = 17
	ResultAccountNotFound       Result = 18
	ResultInvalidSteamID        Result = 19
	ResultServiceUnavailable    Result = 20
	ResultNotLoggedOn           Result = 21
	ResultPending               Result = 22
	ResultEncryptionFailure     Result = 23
	ResultInsufficientPrivilege Result = 24
	ResultLimitExceeded         Result = 25
	ResultRevoked               Result = 26
	ResultExpired               Result = 27
	ResultAlreadyRedeemed       Result = 28
	ResultDuplicateRequest      Result = 29
	ResultAlreadyOwned          Result = 30
	ResultIPNotFound            Result = 31
	ResultPersistFailed         Result = 32
	ResultLockingFailed         Result = 33
	ResultLogonSessionReplaced  Result = 34
	ResultConnectFailed         Result = 35
	ResultHandshakeFailed       Result = 36
	ResultIOFailure             Result = 37
	ResultRemoteDisconnect      Result = 38
	ResultGSLTDenied            Result = 102
	ResultGSOwnerDenied         Result = 103
	ResultInvalidItemType       Result = 104
	ResultIPBanned              Result = 105
	ResultGSLTExpired           Result = 106
)

var serverModeNames = [...]string{"Invalid", "NoAuthentication", "Authentication", "AuthenticationAndSecure"}
var initResultNames = [...]string{"OK", "FailedGeneric", "NoSteamClient", "VersionMismatch"}
var beginAuthNames = [...]string{"OK", "InvalidTicket", "DuplicateRequest", "InvalidVersion", "GameMismatch", "ExpiredTicket"}
var authResponseNames = [...]string{"OK", "UserNotConnectedToSteam", "NoLicenseOrExpired", "VACBanned",
	"LoggedInElseWhere", "VACCheckTimedOut", "AuthTicketCanceled", "AuthTicketInvalidAlreadyUsed",
	"AuthTicketInvalid", "PublisherIssuedBan", "AuthTicketNetworkIdentityFailure"}
var denyReasonNames = [...]string{"Invalid", "InvalidVersion", "Generic", "NotLoggedOn", "NoLicense", "Cheater",
	"LoggedInElseWhere", "UnknownText", "IncompatibleAnticheat", "MemoryCorruption", "IncompatibleSoftware",
	"SteamConnectionLost", "SteamConnectionError", "SteamResponseTimedOut", "SteamValidationStalled",
	"SteamOwnerLeftGuestUser"}
var licenseNames = [...]string{"HasLicense", "DoesNotHaveLicense", "NoAuth"}
var ipTypeNames = [...]string{"IPv4", "IPv6"}
var accountTypeNames = [...]string{"Invalid", "Individual", "Multiseat", "GameServer", "AnonGameServer",
	"Pending", "ContentServer", "Clan", "Chat", "ConsoleUser", "AnonUser"}
var universeNames = [...]string{"Invalid", "Public", "Beta", "Internal", "Dev"}

var resultNames = map[Result]string{
	ResultNone: "None", ResultOK: "OK", ResultFail: "Fail", ResultNoConnection: "NoConnection",
	ResultInvalidPassword: "InvalidPassword", ResultLoggedInElsewhere: "LoggedInElsewhere",
	ResultInvalidProtocolVer: "InvalidProtocolVer", ResultInvalidParam: "InvalidParam",
	ResultFileNotFound: "FileNotFound", ResultBusy: "Busy", ResultInvalidState: "InvalidState",
	ResultInvalidName: "InvalidName", ResultInvalidEmail: "InvalidEmail", ResultDuplicateName: "DuplicateName",
	ResultAccessDenied: "AccessDenied", ResultTimeout: "Timeout", ResultBanned: "Banned",
	ResultAccountNotFound: "AccountNotFound", ResultInvalidSteamID: "InvalidSteamID",
	ResultServiceUnavailable: "ServiceUnavailable", ResultNotLoggedOn: "NotLoggedOn", ResultPending: "Pending",
	ResultEncryptionFailure: "EncryptionFailure", ResultInsufficientPrivilege: "InsufficientPrivilege",
	ResultLimitExceeded: "LimitExceeded", ResultRevoked: "Revoked", ResultExpired: "Expired",
	ResultAlreadyRedeemed: "AlreadyRedeemed", ResultDuplicateRequest: "DuplicateRequest",
	ResultAlreadyOwned: "AlreadyOwned", ResultIPNotFound: "IPNotFound", ResultPersistFailed: "PersistFailed",
	ResultLockingFailed: "LockingFailed", ResultLogonSessionReplaced: "LogonSessionReplaced",
	ResultConnectFailed: "ConnectFailed", ResultHandshakeFailed: "HandshakeFailed", ResultIOFailure: "IOFailure",
	ResultRemoteDisconnect: "RemoteDisconnect", ResultGSLTDenied: "GSLTDenied", ResultGSOwnerDenied: "GSOwnerDenied",
	ResultInvalidItemType: "InvalidItemType", ResultIPBanned: "IPBanned", ResultGSLTExpired: "GSLTExpired",
}

// name returns names[v], or prefix(v) for a value outside the table.
func name[T ~int32 | ~uint8](names []string, prefix string, v T) string {
	if v >= 0 && int(v) < len(names) {
		return names[v]
	}
	return prefix + "(" + strconv.Itoa(int(v)) + ")"
}

// String returns the mode's SDK name without its prefix, such as "Authentication".
func (m ServerMode) String() string { return name(serverModeNames[:], "ServerMode", m) }

// String returns the result's SDK name without its prefix, such as "NoSteamClient".
func (r InitResult) String() string { return name(initResultNames[:], "InitResult", r) }

// String returns the result's SDK name without its prefix, such as "InvalidTicket".
func (r BeginAuthSessionResult) String() string {
	return name(beginAuthNames[:], "BeginAuthSessionResult", r)
}

// String returns the response's SDK name without its prefix, such as "VACBanned".
func (r AuthSessionResponse) String() string {
	return name(authResponseNames[:], "AuthSessionResponse", r)
}

// String returns the reason's SDK name without its prefix, such as "NoLicense".
func (r DenyReason) String() string { return name(denyReasonNames[:], "DenyReason", r) }

// String returns the result's SDK name without its prefix, such as "HasLicense".
func (r LicenseResult) String() string { return name(licenseNames[:], "LicenseResult", r) }

// String returns "IPv4" or "IPv6".
func (t IPType) String() string { return name(ipTypeNames[:], "IPType", t) }

// String returns the type's SDK name without its prefix, such as "GameServer".
func (t AccountType) String() string { return name(accountTypeNames[:], "AccountType", t) }

// String returns the universe's SDK name without its prefix, such as "Public".
func (u Universe) String() string { return name(universeNames[:], "Universe", u) }

// String returns the result's SDK name without its prefix, such as "NoConnection".
func (r Result) String() string {
	if s, ok := resultNames[r]; ok {
		return s
	}
	return "Result(" + strconv.Itoa(int(r)) + ")"
}
