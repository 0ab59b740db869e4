package steamgs

//go:generate go run golang.org/x/tools/cmd/stringer@v0.30.0 -output=enums_string.go -linecomment -type=ServerMode,InitResult,BeginAuthSessionResult,AuthSessionResponse,DenyReason,LicenseResult,IPType,Result .
//go:generate go run golang.org/x/tools/cmd/stringer@v0.30.0 -output=steamid_string.go -linecomment -type=AccountType,Universe .

// ServerMode is how a server authenticates its players (the SDK's EServerMode).
type ServerMode int32

// Server modes, with the SDK's values.
const (
	ModeInvalid                 ServerMode = 0 // Invalid
	ModeNoAuthentication        ServerMode = 1 // NoAuthentication
	ModeAuthentication          ServerMode = 2 // Authentication
	ModeAuthenticationAndSecure ServerMode = 3 // AuthenticationAndSecure
)

// InitResult is the outcome of initializing a back end (the SDK's
// ESteamAPIInitResult).
type InitResult int32

// Init results, with the SDK's values.
const (
	InitOK              InitResult = 0 // OK
	InitFailedGeneric   InitResult = 1 // FailedGeneric
	InitNoSteamClient   InitResult = 2 // NoSteamClient
	InitVersionMismatch InitResult = 3 // VersionMismatch
)

// BeginAuthSessionResult is the synchronous answer of BeginAuthSession (the
// SDK's EBeginAuthSessionResult).
type BeginAuthSessionResult int32

// BeginAuthSession results, with the SDK's values.
const (
	BeginAuthOK               BeginAuthSessionResult = 0 // OK
	BeginAuthInvalidTicket    BeginAuthSessionResult = 1 // InvalidTicket
	BeginAuthDuplicateRequest BeginAuthSessionResult = 2 // DuplicateRequest
	BeginAuthInvalidVersion   BeginAuthSessionResult = 3 // InvalidVersion
	BeginAuthGameMismatch     BeginAuthSessionResult = 4 // GameMismatch
	BeginAuthExpiredTicket    BeginAuthSessionResult = 5 // ExpiredTicket
)

// AuthSessionResponse is the verdict of a ValidateAuthTicketResponse (the
// SDK's EAuthSessionResponse).
type AuthSessionResponse int32

// Auth session responses, with the SDK's values.
const (
	AuthOK                           AuthSessionResponse = 0  // OK
	AuthUserNotConnectedToSteam      AuthSessionResponse = 1  // UserNotConnectedToSteam
	AuthNoLicenseOrExpired           AuthSessionResponse = 2  // NoLicenseOrExpired
	AuthVACBanned                    AuthSessionResponse = 3  // VACBanned
	AuthLoggedInElseWhere            AuthSessionResponse = 4  // LoggedInElseWhere
	AuthVACCheckTimedOut             AuthSessionResponse = 5  // VACCheckTimedOut
	AuthTicketCanceled               AuthSessionResponse = 6  // AuthTicketCanceled
	AuthTicketInvalidAlreadyUsed     AuthSessionResponse = 7  // AuthTicketInvalidAlreadyUsed
	AuthTicketInvalid                AuthSessionResponse = 8  // AuthTicketInvalid
	AuthPublisherIssuedBan           AuthSessionResponse = 9  // PublisherIssuedBan
	AuthTicketNetworkIdentityFailure AuthSessionResponse = 10 // AuthTicketNetworkIdentityFailure
)

// DenyReason is why a player is denied or kicked (the SDK's EDenyReason).
type DenyReason int32

// Deny reasons, with the SDK's values.
const (
	DenyInvalid                 DenyReason = 0  // Invalid
	DenyInvalidVersion          DenyReason = 1  // InvalidVersion
	DenyGeneric                 DenyReason = 2  // Generic
	DenyNotLoggedOn             DenyReason = 3  // NotLoggedOn
	DenyNoLicense               DenyReason = 4  // NoLicense
	DenyCheater                 DenyReason = 5  // Cheater
	DenyLoggedInElseWhere       DenyReason = 6  // LoggedInElseWhere
	DenyUnknownText             DenyReason = 7  // UnknownText
	DenyIncompatibleAnticheat   DenyReason = 8  // IncompatibleAnticheat
	DenyMemoryCorruption        DenyReason = 9  // MemoryCorruption
	DenyIncompatibleSoftware    DenyReason = 10 // IncompatibleSoftware
	DenySteamConnectionLost     DenyReason = 11 // SteamConnectionLost
	DenySteamConnectionError    DenyReason = 12 // SteamConnectionError
	DenySteamResponseTimedOut   DenyReason = 13 // SteamResponseTimedOut
	DenySteamValidationStalled  DenyReason = 14 // SteamValidationStalled
	DenySteamOwnerLeftGuestUser DenyReason = 15 // SteamOwnerLeftGuestUser
)

// LicenseResult is the answer of UserHasLicenseForApp (the SDK's
// EUserHasLicenseForAppResult).
type LicenseResult int32

// Licence results, with the SDK's values.
const (
	HasLicense         LicenseResult = 0 // HasLicense
	DoesNotHaveLicense LicenseResult = 1 // DoesNotHaveLicense
	NoAuth             LicenseResult = 2 // NoAuth
)

// IPType is the family of an address Steam reports (the SDK's ESteamIPType).
type IPType int32

// IP types, with the SDK's values.
const (
	IPv4 IPType = 0 // IPv4
	IPv6 IPType = 1 // IPv6
)

// Result is the SDK's general result code (EResult).
type Result int32

// Result codes, with the SDK's values (the ones a game server meets).
const (
	ResultNone                  Result = 0   // None
	ResultOK                    Result = 1   // OK
	ResultFail                  Result = 2   // Fail
	ResultNoConnection          Result = 3   // NoConnection
	ResultInvalidPassword       Result = 5   // InvalidPassword
	ResultLoggedInElsewhere     Result = 6   // LoggedInElsewhere
	ResultInvalidProtocolVer    Result = 7   // InvalidProtocolVer
	ResultInvalidParam          Result = 8   // InvalidParam
	ResultFileNotFound          Result = 9   // FileNotFound
	ResultBusy                  Result = 10  // Busy
	ResultInvalidState          Result = 11  // InvalidState
	ResultInvalidName           Result = 12  // InvalidName
	ResultInvalidEmail          Result = 13  // InvalidEmail
	ResultDuplicateName         Result = 14  // DuplicateName
	ResultAccessDenied          Result = 15  // AccessDenied
	ResultTimeout               Result = 16  // Timeout
	ResultBanned                Result = 17  // Banned
	ResultAccountNotFound       Result = 18  // AccountNotFound
	ResultInvalidSteamID        Result = 19  // InvalidSteamID
	ResultServiceUnavailable    Result = 20  // ServiceUnavailable
	ResultNotLoggedOn           Result = 21  // NotLoggedOn
	ResultPending               Result = 22  // Pending
	ResultEncryptionFailure     Result = 23  // EncryptionFailure
	ResultInsufficientPrivilege Result = 24  // InsufficientPrivilege
	ResultLimitExceeded         Result = 25  // LimitExceeded
	ResultRevoked               Result = 26  // Revoked
	ResultExpired               Result = 27  // Expired
	ResultAlreadyRedeemed       Result = 28  // AlreadyRedeemed
	ResultDuplicateRequest      Result = 29  // DuplicateRequest
	ResultAlreadyOwned          Result = 30  // AlreadyOwned
	ResultIPNotFound            Result = 31  // IPNotFound
	ResultPersistFailed         Result = 32  // PersistFailed
	ResultLockingFailed         Result = 33  // LockingFailed
	ResultLogonSessionReplaced  Result = 34  // LogonSessionReplaced
	ResultConnectFailed         Result = 35  // ConnectFailed
	ResultHandshakeFailed       Result = 36  // HandshakeFailed
	ResultIOFailure             Result = 37  // IOFailure
	ResultRemoteDisconnect      Result = 38  // RemoteDisconnect
	ResultGSLTDenied            Result = 102 // GSLTDenied
	ResultGSOwnerDenied         Result = 103 // GSOwnerDenied
	ResultInvalidItemType       Result = 104 // InvalidItemType
	ResultIPBanned              Result = 105 // IPBanned
	ResultGSLTExpired           Result = 106 // GSLTExpired
)
