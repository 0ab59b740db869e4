/*
 * A stand-in for Valve's libsteam_api, for the ABI tests of steamgs/steamworks.
 *
 * It exports the flat C functions the package calls, with the SDK's
 * signatures, and records every call (its name and arguments, rendered as
 * text) in a log that tests read back. Return values, out parameters, the
 * init result and the public IP come from values the test sets. Callbacks and
 * call results are queued by the test and handed out through manual dispatch,
 * with the protocol checked (RunFrame and GetNextCallback on the game server's
 * pipe, FreeLastCallback after each callback, GetAPICallResult with the size
 * and ID of the call). Callback payloads are built from C structs declared
 * the way the SDK declares them (Steam IDs as a packed, alignment-1 CSteamID,
 * the structs under the SDK's callback packing) and laid out by this
 * compiler; fake_layout reports their offsets and sizes.
 *
 * Build: cc -shared -fPIC -o libsteam_api.so fake_steam_api.c
 * Variants: -DVALVE_CALLBACK_PACK_SMALL or -DVALVE_CALLBACK_PACK_LARGE packs
 * the callback structs by 4 or 8 instead of the platform's packing;
 * -DFAKE_NO_SETREGION leaves SteamAPI_ISteamGameServer_SetRegion out;
 * -DFAKE_UGC021 exports the SDK 1.64 UGC accessor instead of SDK 1.61's.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(_WIN32)
#define EXPORT __declspec(dllexport)
#else
#define EXPORT __attribute__((visibility("default")))
#endif

#define FAKE_PIPE 42
#define FAKE_USER 7

/* ---------- text building ---------- */

typedef struct {
	char *p;
	size_t n, cap;
} sb;

static void sb_grow(sb *b, size_t more) {
	if (b->n + more + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->n + more + 1)
		cap *= 2;
	b->p = realloc(b->p, cap);
	b->cap = cap;
}

static void sb_putc(sb *b, char c) {
	sb_grow(b, 1);
	b->p[b->n++] = c;
	b->p[b->n] = 0;
}

static void sb_printf(sb *b, const char *fmt, ...) {
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	sb_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->p + b->n, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->n += (size_t)n;
}

/* sb_bytes renders n bytes as a quoted string, escaping everything that is
 * not printable ASCII, a quote or a backslash as \xNN. */
static void sb_bytes(sb *b, const char *s, size_t n) {
	sb_putc(b, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
			sb_putc(b, (char)c);
		else
			sb_printf(b, "\\x%02x", c);
	}
	sb_putc(b, '"');
}

static void sb_str(sb *b, const char *s) {
	if (!s) {
		sb_printf(b, "NULL");
		return;
	}
	sb_bytes(b, s, strlen(s));
}

static void sb_hex(sb *b, const void *p, int n) {
	if (!p) {
		sb_printf(b, "NULL");
		return;
	}
	const unsigned char *u = p;
	for (int i = 0; i < n; i++)
		sb_printf(b, "%02x", u[i]);
}

/* ---------- state ---------- */

static sb g_log;       /* every call, one per line */
static sb g_last;      /* the last call */
static sb g_errs;      /* protocol errors, one per line */
static int g_logging = 1;
static int g_offline;  /* canned "no Steam connection" behaviour */

static int g_inited;
static int g_dispatch_inited;
static char g_iface[64]; /* what ISteamGameServer* points at */
static int g_init_result;
static char g_init_msg[1024];

typedef struct {
	char name[64];
	uint64_t v;
} ret_t;
static ret_t g_rets[64];
static int g_nrets;

static unsigned char g_ticket[4096];
static int g_ticket_len;
static unsigned char g_packet[4096];
static int g_packet_len;
static unsigned char g_public_ip[16];
static int32_t g_public_ip_type;

typedef struct cb {
	struct cb *next;
	int id;
	int size;
	unsigned char *data;
} cb_t;
static cb_t *g_head, *g_tail, *g_current;

typedef struct res {
	struct res *next;
	uint64_t call;
	int id;
	int size;
	int failed;
	unsigned char *data;
} res_t;
static res_t *g_results;

static void proto_error(const char *fmt, ...) {
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	sb_grow(&g_errs, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(g_errs.p + g_errs.n, (size_t)n + 1, fmt, ap);
	va_end(ap);
	g_errs.n += (size_t)n;
	sb_putc(&g_errs, '\n');
}

static uint64_t ret(const char *name) {
	for (int i = 0; i < g_nrets; i++)
		if (strcmp(g_rets[i].name, name) == 0)
			return g_rets[i].v;
	return 0;
}

/* begin starts the log line of a call; gs marks ISteamGameServer methods,
 * whose first argument must be the pointer SteamGameServer_v015 returned. */
static sb *begin(const char *name, int gs, void *self) {
	int bad = gs && (!g_inited || self != (void *)g_iface);
	if (bad) proto_error("%s: self is %p, want %p (inited %d)", name, self, (void *)g_iface, g_inited);
	g_last.n = 0;
	if (!g_logging) return &g_last;
	sb_grow(&g_last, 0);
	g_last.p[0] = 0;
	sb_printf(&g_last, "%s(", name);
	if (gs) sb_printf(&g_last, bad ? "BADSELF" : "self");
	return &g_last;
}

static void sep(sb *b) {
	if (b->n > 0 && b->p[b->n - 1] != '(')
		sb_printf(b, ", ");
}

static void end(sb *b) {
	if (!g_logging) return;
	sb_putc(b, ')');
	sb_printf(&g_log, "%s", b->p);
	sb_putc(&g_log, '\n');
}

/* The arg_ functions append one argument to the line begin started. */
static void arg_str(sb *b, const char *s) { if (g_logging) { sep(b); sb_str(b, s); } }
static void arg_i(sb *b, int64_t v) { if (g_logging) { sep(b); sb_printf(b, "%lld", (long long)v); } }
static void arg_u(sb *b, uint64_t v) { if (g_logging) { sep(b); sb_printf(b, "%llu", (unsigned long long)v); } }
static void arg_bool(sb *b, bool v) { if (g_logging) { sep(b); sb_printf(b, "%s", v ? "true" : "false"); } }
static void arg_hex(sb *b, const void *p, int n) { if (g_logging) { sep(b); sb_hex(b, p, n); } }

/* ---------- callback structs, as the SDK declares them ---------- */

/* The SDK packs its callback structs by VALVE_CALLBACK_PACK_SMALL (pack 4:
 * Linux, macOS, FreeBSD) or VALVE_CALLBACK_PACK_LARGE (pack 8: Windows).
 * Defining one of them with -D builds the fake with that packing on any
 * platform; without either, the platform's is used. */
#if defined(VALVE_CALLBACK_PACK_SMALL) && defined(VALVE_CALLBACK_PACK_LARGE)
#error define at most one of VALVE_CALLBACK_PACK_SMALL and VALVE_CALLBACK_PACK_LARGE
#endif
#if !defined(VALVE_CALLBACK_PACK_SMALL) && !defined(VALVE_CALLBACK_PACK_LARGE)
#if defined(__linux__) || defined(__APPLE__) || defined(__FreeBSD__)
#define VALVE_CALLBACK_PACK_SMALL
#else
#define VALVE_CALLBACK_PACK_LARGE
#endif
#endif
#if defined(VALVE_CALLBACK_PACK_SMALL)
#define CALLBACK_PACK 4
#else
#define CALLBACK_PACK 8
#endif

/* CSteamID is declared under pack 1 in the SDK: a 64-bit value with
 * alignment 1, which pack 8 does not move to an 8-byte boundary. */
#pragma pack(push, 1)
typedef struct {
	uint64_t m_unAll64Bits;
} CSteamID;
#pragma pack(pop)
_Static_assert(_Alignof(CSteamID) == 1, "CSteamID must have alignment 1");

/* C++ enums (EResult, EAuthSessionResponse, EDenyReason) are ints. The
 * compiler does not expand macros in #pragma pack, hence the two branches;
 * pack_probe checks that the packing took effect. */
#if CALLBACK_PACK == 4
#pragma pack(push, 4)
#else
#pragma pack(push, 8)
#endif
struct pack_probe { uint32_t a; uint64_t b; };
_Static_assert(offsetof(struct pack_probe, b) == CALLBACK_PACK, "callback structs are not packed by CALLBACK_PACK");
/* SteamServersConnected_t has no field; a C++ empty struct takes one byte. */
typedef struct { uint8_t cxx_empty_struct; } SteamServersConnected_t;
typedef struct { int32_t m_eResult; bool m_bStillRetrying; } SteamServerConnectFailure_t;
typedef struct { int32_t m_eResult; } SteamServersDisconnected_t;
typedef struct { uint8_t m_bSecure; } GSPolicyResponse_t;
typedef struct {
	CSteamID m_SteamID;
	int32_t m_eAuthSessionResponse;
	CSteamID m_OwnerSteamID;
} ValidateAuthTicketResponse_t;
typedef struct { uint32_t m_hAuthTicket; int32_t m_eResult; } GetAuthSessionTicketResponse_t;
typedef struct { CSteamID m_SteamID; CSteamID m_OwnerSteamID; } GSClientApprove_t;
typedef struct { CSteamID m_SteamID; int32_t m_eDenyReason; char m_rgchOptionalText[128]; } GSClientDeny_t;
typedef struct { CSteamID m_SteamID; int32_t m_eDenyReason; } GSClientKick_t;
typedef struct { uint64_t m_SteamID; char m_pchAchievement[128]; bool m_bUnlocked; } GSClientAchievementStatus_t;
typedef struct {
	int32_t m_eResult;
	int32_t m_nRank;
	uint32_t m_unTotalConnects;
	uint32_t m_unTotalMinutesPlayed;
} GSGameplayStats_t;
typedef struct { CSteamID m_SteamIDUser; CSteamID m_SteamIDGroup; bool m_bMember; bool m_bOfficer; } GSClientGroupStatus_t;
typedef struct {
	int32_t m_eResult;
	uint32_t m_unReputationScore;
	bool m_bBanned;
	uint32_t m_unBannedIP;
	uint16_t m_usBannedPort;
	uint64_t m_ulBannedGameID;
	uint32_t m_unBanExpires;
} GSReputation_t;
typedef struct { int32_t m_eResult; } AssociateWithClanResult_t;
typedef struct {
	int32_t m_eResult;
	int32_t m_cPlayersThatDontLikeCandidate;
	int32_t m_cPlayersThatCandidateDoesntLike;
	int32_t m_cClanPlayersThatDontLikeCandidate;
	CSteamID m_SteamIDCandidate;
} ComputeNewPlayerCompatibilityResult_t;
typedef struct { uint64_t m_hAsyncCall; int32_t m_iCallback; uint32_t m_cubParam; } SteamAPICallCompleted_t;

/* CallbackMsg_t, which GetNextCallback fills in, is packed the same way. */
typedef struct {
	int32_t m_hSteamUser;
	int32_t m_iCallback;
	unsigned char *m_pubParam;
	int32_t m_cubParam;
} CallbackMsg_t;
#pragma pack(pop)

#pragma pack(push, 1)
typedef struct {
	unsigned char addr[16];
	int32_t type;
} SteamIPAddress_t;
#pragma pack(pop)

/* g_layout lists every callback struct above: one row with its size
 * (field NULL), then one row per field in declaration order with its offset
 * and size, as this compiler lays them out. */
typedef struct {
	int id;
	const char *field;
	int offset;
	int size;
} layout_t;

#define STRUCT(id, T) {id, NULL, 0, (int)sizeof(T)}
#define FIELD(id, T, f) {id, #f, (int)offsetof(T, f), (int)sizeof(((T *)0)->f)}

static const layout_t g_layout[] = {
	STRUCT(101, SteamServersConnected_t),
	STRUCT(102, SteamServerConnectFailure_t),
	FIELD(102, SteamServerConnectFailure_t, m_eResult),
	FIELD(102, SteamServerConnectFailure_t, m_bStillRetrying),
	STRUCT(103, SteamServersDisconnected_t),
	FIELD(103, SteamServersDisconnected_t, m_eResult),
	STRUCT(115, GSPolicyResponse_t),
	FIELD(115, GSPolicyResponse_t, m_bSecure),
	STRUCT(143, ValidateAuthTicketResponse_t),
	FIELD(143, ValidateAuthTicketResponse_t, m_SteamID),
	FIELD(143, ValidateAuthTicketResponse_t, m_eAuthSessionResponse),
	FIELD(143, ValidateAuthTicketResponse_t, m_OwnerSteamID),
	STRUCT(163, GetAuthSessionTicketResponse_t),
	FIELD(163, GetAuthSessionTicketResponse_t, m_hAuthTicket),
	FIELD(163, GetAuthSessionTicketResponse_t, m_eResult),
	STRUCT(201, GSClientApprove_t),
	FIELD(201, GSClientApprove_t, m_SteamID),
	FIELD(201, GSClientApprove_t, m_OwnerSteamID),
	STRUCT(202, GSClientDeny_t),
	FIELD(202, GSClientDeny_t, m_SteamID),
	FIELD(202, GSClientDeny_t, m_eDenyReason),
	FIELD(202, GSClientDeny_t, m_rgchOptionalText),
	STRUCT(203, GSClientKick_t),
	FIELD(203, GSClientKick_t, m_SteamID),
	FIELD(203, GSClientKick_t, m_eDenyReason),
	STRUCT(206, GSClientAchievementStatus_t),
	FIELD(206, GSClientAchievementStatus_t, m_SteamID),
	FIELD(206, GSClientAchievementStatus_t, m_pchAchievement),
	FIELD(206, GSClientAchievementStatus_t, m_bUnlocked),
	STRUCT(207, GSGameplayStats_t),
	FIELD(207, GSGameplayStats_t, m_eResult),
	FIELD(207, GSGameplayStats_t, m_nRank),
	FIELD(207, GSGameplayStats_t, m_unTotalConnects),
	FIELD(207, GSGameplayStats_t, m_unTotalMinutesPlayed),
	STRUCT(208, GSClientGroupStatus_t),
	FIELD(208, GSClientGroupStatus_t, m_SteamIDUser),
	FIELD(208, GSClientGroupStatus_t, m_SteamIDGroup),
	FIELD(208, GSClientGroupStatus_t, m_bMember),
	FIELD(208, GSClientGroupStatus_t, m_bOfficer),
	STRUCT(209, GSReputation_t),
	FIELD(209, GSReputation_t, m_eResult),
	FIELD(209, GSReputation_t, m_unReputationScore),
	FIELD(209, GSReputation_t, m_bBanned),
	FIELD(209, GSReputation_t, m_unBannedIP),
	FIELD(209, GSReputation_t, m_usBannedPort),
	FIELD(209, GSReputation_t, m_ulBannedGameID),
	FIELD(209, GSReputation_t, m_unBanExpires),
	STRUCT(210, AssociateWithClanResult_t),
	FIELD(210, AssociateWithClanResult_t, m_eResult),
	STRUCT(211, ComputeNewPlayerCompatibilityResult_t),
	FIELD(211, ComputeNewPlayerCompatibilityResult_t, m_eResult),
	FIELD(211, ComputeNewPlayerCompatibilityResult_t, m_cPlayersThatDontLikeCandidate),
	FIELD(211, ComputeNewPlayerCompatibilityResult_t, m_cPlayersThatCandidateDoesntLike),
	FIELD(211, ComputeNewPlayerCompatibilityResult_t, m_cClanPlayersThatDontLikeCandidate),
	FIELD(211, ComputeNewPlayerCompatibilityResult_t, m_SteamIDCandidate),
	STRUCT(703, SteamAPICallCompleted_t),
	FIELD(703, SteamAPICallCompleted_t, m_hAsyncCall),
	FIELD(703, SteamAPICallCompleted_t, m_iCallback),
	FIELD(703, SteamAPICallCompleted_t, m_cubParam),
};

#define NLAYOUT ((int)(sizeof g_layout / sizeof g_layout[0]))

/* sid makes a CSteamID of a 64-bit value. */
static CSteamID sid(uint64_t v) {
	CSteamID s;
	s.m_unAll64Bits = v;
	return s;
}

/* put_text copies the first n bytes of text (at most 128) into a char[128]
 * field, as is. */
static void put_text(char *dst, const void *text, int n) {
	if (text && n > 0) memcpy(dst, text, n < 128 ? (size_t)n : 128);
}

/* PUT copies the struct s to out, when it fits in cap bytes, and returns
 * its size. */
#define PUT(s)                                                                                     \
	do {                                                                                           \
		if ((int)sizeof(s) > cap) return -1;                                                       \
		memcpy(out, &s, sizeof(s));                                                                \
		return (int)sizeof(s);                                                                     \
	} while (0)

/* encode fills the struct of callback id from f (the values of its fields
 * in declaration order, char arrays left out) and text (the char array's
 * bytes, copied as is, up to 128) and copies it to out. Padding is zero. It
 * returns the struct's size, or -1 for an unknown id or a small buffer. */
static int encode(int id, const uint64_t *f, const void *text, int textlen, void *out, int cap) {
	switch (id) {
	case 101: { SteamServersConnected_t s; memset(&s, 0, sizeof s); PUT(s); }
	case 102: { SteamServerConnectFailure_t s; memset(&s, 0, sizeof s);
		s.m_eResult = (int32_t)f[0]; s.m_bStillRetrying = f[1] != 0; PUT(s); }
	case 103: { SteamServersDisconnected_t s; memset(&s, 0, sizeof s);
		s.m_eResult = (int32_t)f[0]; PUT(s); }
	case 115: { GSPolicyResponse_t s; memset(&s, 0, sizeof s);
		s.m_bSecure = (uint8_t)f[0]; PUT(s); }
	case 143: { ValidateAuthTicketResponse_t s; memset(&s, 0, sizeof s);
		s.m_SteamID = sid(f[0]); s.m_eAuthSessionResponse = (int32_t)f[1]; s.m_OwnerSteamID = sid(f[2]); PUT(s); }
	case 163: { GetAuthSessionTicketResponse_t s; memset(&s, 0, sizeof s);
		s.m_hAuthTicket = (uint32_t)f[0]; s.m_eResult = (int32_t)f[1]; PUT(s); }
	case 201: { GSClientApprove_t s; memset(&s, 0, sizeof s);
		s.m_SteamID = sid(f[0]); s.m_OwnerSteamID = sid(f[1]); PUT(s); }
	case 202: { GSClientDeny_t s; memset(&s, 0, sizeof s);
		s.m_SteamID = sid(f[0]); s.m_eDenyReason = (int32_t)f[1];
		put_text(s.m_rgchOptionalText, text, textlen); PUT(s); }
	case 203: { GSClientKick_t s; memset(&s, 0, sizeof s);
		s.m_SteamID = sid(f[0]); s.m_eDenyReason = (int32_t)f[1]; PUT(s); }
	case 206: { GSClientAchievementStatus_t s; memset(&s, 0, sizeof s);
		s.m_SteamID = f[0]; put_text(s.m_pchAchievement, text, textlen); s.m_bUnlocked = f[1] != 0; PUT(s); }
	case 207: { GSGameplayStats_t s; memset(&s, 0, sizeof s);
		s.m_eResult = (int32_t)f[0]; s.m_nRank = (int32_t)f[1]; s.m_unTotalConnects = (uint32_t)f[2];
		s.m_unTotalMinutesPlayed = (uint32_t)f[3]; PUT(s); }
	case 208: { GSClientGroupStatus_t s; memset(&s, 0, sizeof s);
		s.m_SteamIDUser = sid(f[0]); s.m_SteamIDGroup = sid(f[1]); s.m_bMember = f[2] != 0; s.m_bOfficer = f[3] != 0;
		PUT(s); }
	case 209: { GSReputation_t s; memset(&s, 0, sizeof s);
		s.m_eResult = (int32_t)f[0]; s.m_unReputationScore = (uint32_t)f[1]; s.m_bBanned = f[2] != 0;
		s.m_unBannedIP = (uint32_t)f[3]; s.m_usBannedPort = (uint16_t)f[4]; s.m_ulBannedGameID = f[5];
		s.m_unBanExpires = (uint32_t)f[6]; PUT(s); }
	case 210: { AssociateWithClanResult_t s; memset(&s, 0, sizeof s);
		s.m_eResult = (int32_t)f[0]; PUT(s); }
	case 211: { ComputeNewPlayerCompatibilityResult_t s; memset(&s, 0, sizeof s);
		s.m_eResult = (int32_t)f[0]; s.m_cPlayersThatDontLikeCandidate = (int32_t)f[1];
		s.m_cPlayersThatCandidateDoesntLike = (int32_t)f[2]; s.m_cClanPlayersThatDontLikeCandidate = (int32_t)f[3];
		s.m_SteamIDCandidate = sid(f[4]); PUT(s); }
	case 703: { SteamAPICallCompleted_t s; memset(&s, 0, sizeof s);
		s.m_hAsyncCall = f[0]; s.m_iCallback = (int32_t)f[1]; s.m_cubParam = (uint32_t)f[2]; PUT(s); }
	}
	return -1;
}

/* ---------- test controls ---------- */

static void free_queue(void) {
	while (g_head) {
		cb_t *n = g_head->next;
		free(g_head->data);
		free(g_head);
		g_head = n;
	}
	g_tail = NULL;
	if (g_current) {
		free(g_current->data);
		free(g_current);
		g_current = NULL;
	}
	while (g_results) {
		res_t *n = g_results->next;
		free(g_results->data);
		free(g_results);
		g_results = n;
	}
}

/* fake_reset clears the log, the errors, the values set and the queues.
 * offline turns on the behaviour of a server with no Steam connection:
 * LogOn and LogOnAnonymous queue SteamServerConnectFailure{NoConnection}. */
EXPORT void fake_reset(int offline) {
	g_log.n = g_last.n = g_errs.n = 0;
	if (g_log.p) g_log.p[0] = 0;
	if (g_last.p) g_last.p[0] = 0;
	if (g_errs.p) g_errs.p[0] = 0;
	g_logging = 1;
	g_offline = offline;
	g_nrets = 0;
	g_init_result = 0;
	g_init_msg[0] = 0;
	g_ticket_len = g_packet_len = 0;
	memset(g_public_ip, 0, sizeof g_public_ip);
	g_public_ip_type = 0;
	free_queue();
}

/* fake_set_logging turns the call log on or off (off for benchmarks). */
EXPORT void fake_set_logging(int on) { g_logging = on; }

/* fake_clear_log empties the call log and the last call. */
EXPORT void fake_clear_log(void) {
	g_log.n = g_last.n = 0;
	if (g_log.p) g_log.p[0] = 0;
	if (g_last.p) g_last.p[0] = 0;
}

static int copy_out(const sb *b, char *buf, int n) {
	int len = (int)b->n;
	if (buf && n > 0) {
		int m = len < n - 1 ? len : n - 1;
		if (m > 0) memcpy(buf, b->p, (size_t)m);
		buf[m] = 0;
	}
	return len;
}

/* fake_last_call, fake_log and fake_errors copy the last call, every call
 * and the protocol errors into buf (NUL-terminated, cut to n-1 bytes) and
 * return their full length. */
EXPORT int fake_last_call(char *buf, int n) { return copy_out(&g_last, buf, n); }
EXPORT int fake_log(char *buf, int n) { return copy_out(&g_log, buf, n); }
EXPORT int fake_errors(char *buf, int n) { return copy_out(&g_errs, buf, n); }

/* fake_set_return sets what the function name (without the
 * SteamAPI_ISteamGameServer_ prefix) returns; some names set out values:
 * "packet_ip", "packet_port", "connect_steamid", "nullserver". */
EXPORT void fake_set_return(const char *name, uint64_t v) {
	for (int i = 0; i < g_nrets; i++) {
		if (strcmp(g_rets[i].name, name) == 0) {
			g_rets[i].v = v;
			return;
		}
	}
	if (g_nrets < (int)(sizeof g_rets / sizeof g_rets[0])) {
		snprintf(g_rets[g_nrets].name, sizeof g_rets[0].name, "%s", name);
		g_rets[g_nrets++].v = v;
	}
}

/* fake_set_init sets the result and message of the next Init_V2. */
EXPORT void fake_set_init(int result, const char *msg) {
	g_init_result = result;
	snprintf(g_init_msg, sizeof g_init_msg, "%s", msg ? msg : "");
}

/* fake_set_ticket sets the bytes GetAuthSessionTicket writes. */
EXPORT void fake_set_ticket(const void *p, int n) {
	g_ticket_len = n < (int)sizeof g_ticket ? n : (int)sizeof g_ticket;
	memcpy(g_ticket, p, (size_t)g_ticket_len);
}

/* fake_set_packet queues one datagram for GetNextOutgoingPacket. */
EXPORT void fake_set_packet(const void *p, int n) {
	g_packet_len = n < (int)sizeof g_packet ? n : (int)sizeof g_packet;
	memcpy(g_packet, p, (size_t)g_packet_len);
}

/* fake_set_public_ip sets the SteamIPAddress_t GetPublicIP returns. */
EXPORT void fake_set_public_ip(const void *addr16, int type) {
	memcpy(g_public_ip, addr16, 16);
	g_public_ip_type = type;
}

static void enqueue(int id, const void *data, int size) {
	cb_t *c = calloc(1, sizeof *c);
	c->id = id;
	c->size = size;
	c->data = malloc(size > 0 ? (size_t)size : 1);
	if (size > 0) memcpy(c->data, data, (size_t)size);
	if (g_tail) g_tail->next = c;
	else g_head = c;
	g_tail = c;
}

/* fake_queue_callback queues a callback with the given raw payload. */
EXPORT void fake_queue_callback(int id, const void *data, int size) { enqueue(id, data, size); }

/* fake_callback_pack returns the packing of the callback structs: 4 for
 * VALVE_CALLBACK_PACK_SMALL, 8 for VALVE_CALLBACK_PACK_LARGE. */
EXPORT int fake_callback_pack(void) { return CALLBACK_PACK; }

/* fake_encode fills the SDK struct of callback id (see encode). */
EXPORT int fake_encode(int id, const uint64_t *f, const void *text, int textlen, void *out, int cap) {
	return encode(id, f, text, textlen, out, cap);
}

/* fake_layout returns the offset of field (an SDK field name such as
 * "m_OwnerSteamID") in the struct of callback id, or the struct's size when
 * field is NULL or empty; -1 when there is no such struct or field. */
EXPORT int fake_layout(int id, const char *field) {
	int any = field && *field;
	for (int i = 0; i < NLAYOUT; i++) {
		if (g_layout[i].id != id) continue;
		if (!any && !g_layout[i].field) return g_layout[i].size;
		if (any && g_layout[i].field && strcmp(g_layout[i].field, field) == 0) return g_layout[i].offset;
	}
	return -1;
}

/* fake_layout_row copies row i of the layout table: the callback ID, the
 * field's name into name (NUL-terminated, cut to n-1 bytes; empty for the
 * struct's own row), its offset and its size. It returns 0 past the end. */
EXPORT int fake_layout_row(int i, int *id, char *name, int n, int *offset, int *size) {
	if (i < 0 || i >= NLAYOUT) return 0;
	*id = g_layout[i].id;
	snprintf(name, (size_t)n, "%s", g_layout[i].field ? g_layout[i].field : "");
	*offset = g_layout[i].offset;
	*size = g_layout[i].size;
	return 1;
}

/* fake_queue_encoded queues callback id, its struct filled from fields
 * under the platform's pack. It returns the payload size, or -1. */
EXPORT int fake_queue_encoded(int id, const uint64_t *f, const void *text, int textlen) {
	unsigned char buf[512];
	int n = encode(id, f, text, textlen, buf, (int)sizeof buf);
	if (n >= 0) enqueue(id, buf, n);
	return n;
}

/* fake_store_call_result stores size bytes of data as the result of call
 * (callback id), for GetAPICallResult; failed marks an I/O failure. */
EXPORT void fake_store_call_result(uint64_t call, int id, const void *data, int size, int failed) {
	res_t *r = calloc(1, sizeof *r);
	r->call = call;
	r->id = id;
	r->size = size;
	r->failed = failed;
	r->data = malloc(size > 0 ? (size_t)size : 1);
	if (size > 0) memcpy(r->data, data, (size_t)size);
	r->next = g_results;
	g_results = r;
}

/* fake_queue_call_result stores the result of call (callback id, filled
 * from fields) and queues the SteamAPICallCompleted_t that announces it;
 * failed marks an I/O failure. It returns the result's size, or -1. */
EXPORT int fake_queue_call_result(uint64_t call, int id, const uint64_t *f, const void *text, int textlen, int failed) {
	unsigned char buf[512];
	int n = encode(id, f, text, textlen, buf, (int)sizeof buf);
	if (n < 0) return -1;
	fake_store_call_result(call, id, buf, n, failed);
	uint64_t done[3] = {call, (uint64_t)id, (uint64_t)n};
	unsigned char msg[64];
	int m = encode(703, done, NULL, 0, msg, (int)sizeof msg);
	enqueue(703, msg, m);
	return n;
}

/* fake_callbackmsg_layout writes offsetof of CallbackMsg_t's fields
 * (m_hSteamUser, m_iCallback, m_pubParam, m_cubParam) and its size into
 * out[0..4]. */
EXPORT void fake_callbackmsg_layout(int *out) {
	out[0] = (int)offsetof(CallbackMsg_t, m_hSteamUser);
	out[1] = (int)offsetof(CallbackMsg_t, m_iCallback);
	out[2] = (int)offsetof(CallbackMsg_t, m_pubParam);
	out[3] = (int)offsetof(CallbackMsg_t, m_cubParam);
	out[4] = (int)sizeof(CallbackMsg_t);
}

/* fake_pending returns the number of queued callbacks. */
EXPORT int fake_pending(void) {
	int n = 0;
	for (cb_t *c = g_head; c; c = c->next) n++;
	return n;
}

/* ---------- life cycle ---------- */

EXPORT int SteamInternal_GameServer_Init_V2(uint32_t ip, uint16_t gamePort, uint16_t queryPort, int mode,
                                            const char *version, const char *ifaces, char *errMsg) {
	sb *b = begin("SteamInternal_GameServer_Init_V2", 0, NULL);
	arg_u(b, ip);
	arg_u(b, gamePort);
	arg_u(b, queryPort);
	arg_i(b, mode);
	arg_str(b, version);
	sep(b);
	sb_putc(b, '[');
	for (const char *p = ifaces; p && *p; p += strlen(p) + 1) {
		if (p != ifaces) sb_putc(b, ' ');
		sb_str(b, p);
	}
	sb_putc(b, ']');
	sep(b);
	sb_printf(b, "SteamAppId=");
	sb_str(b, getenv("SteamAppId"));
	sep(b);
	sb_printf(b, "SteamGameId=");
	sb_str(b, getenv("SteamGameId"));
	end(b);
	if (!errMsg) proto_error("Init_V2: errMsg is NULL");
	if (g_inited) proto_error("Init_V2 while a server runs");
	if (g_init_result != 0) {
		if (errMsg) snprintf(errMsg, 1024, "%s", g_init_msg);
		return g_init_result;
	}
	if (errMsg) errMsg[0] = 0;
	g_inited = 1;
	return 0;
}

EXPORT void SteamGameServer_Shutdown(void) {
	end(begin("SteamGameServer_Shutdown", 0, NULL));
	g_inited = 0;
	free_queue();
}

EXPORT int SteamGameServer_GetHSteamPipe(void) {
	end(begin("SteamGameServer_GetHSteamPipe", 0, NULL));
	return g_inited ? FAKE_PIPE : 0;
}

EXPORT int SteamGameServer_GetHSteamUser(void) {
	end(begin("SteamGameServer_GetHSteamUser", 0, NULL));
	return g_inited ? FAKE_USER : 0;
}

EXPORT bool SteamGameServer_BSecure(void) {
	end(begin("SteamGameServer_BSecure", 0, NULL));
	return ret("BSecure") != 0;
}

EXPORT uint64_t SteamGameServer_GetSteamID(void) {
	end(begin("SteamGameServer_GetSteamID", 0, NULL));
	return ret("GetSteamID");
}

EXPORT void SteamGameServer_RunCallbacks(void) {
	end(begin("SteamGameServer_RunCallbacks", 0, NULL));
	proto_error("SteamGameServer_RunCallbacks called with manual dispatch");
}

EXPORT void SteamAPI_ReleaseCurrentThreadMemory(void) {
	end(begin("SteamAPI_ReleaseCurrentThreadMemory", 0, NULL));
}

EXPORT void *SteamAPI_SteamGameServer_v015(void) {
	end(begin("SteamAPI_SteamGameServer_v015", 0, NULL));
	if (!g_inited || ret("nullserver")) return NULL;
	return g_iface;
}

/* Accessors whose presence tells which SDK the library comes from. */
static void *accessor(const char *name) {
	end(begin(name, 0, NULL));
	return g_inited ? g_iface : NULL;
}
EXPORT void *SteamAPI_SteamGameServerUtils_v010(void) { return accessor("SteamAPI_SteamGameServerUtils_v010"); }
EXPORT void *SteamAPI_SteamNetworkingUtils_SteamAPI_v004(void) { return accessor("SteamAPI_SteamNetworkingUtils_SteamAPI_v004"); }
EXPORT void *SteamAPI_SteamGameServerStats_v001(void) { return accessor("SteamAPI_SteamGameServerStats_v001"); }
EXPORT void *SteamAPI_SteamGameServerHTTP_v003(void) { return accessor("SteamAPI_SteamGameServerHTTP_v003"); }
EXPORT void *SteamAPI_SteamGameServerInventory_v003(void) { return accessor("SteamAPI_SteamGameServerInventory_v003"); }
EXPORT void *SteamAPI_SteamGameServerNetworking_v006(void) { return accessor("SteamAPI_SteamGameServerNetworking_v006"); }
EXPORT void *SteamAPI_SteamGameServerNetworkingMessages_SteamAPI_v002(void) {
	return accessor("SteamAPI_SteamGameServerNetworkingMessages_SteamAPI_v002");
}
EXPORT void *SteamAPI_SteamGameServerNetworkingSockets_SteamAPI_v012(void) {
	return accessor("SteamAPI_SteamGameServerNetworkingSockets_SteamAPI_v012");
}
#ifdef FAKE_UGC021
EXPORT void *SteamAPI_SteamGameServerUGC_v021(void) { return accessor("SteamAPI_SteamGameServerUGC_v021"); }
#else
EXPORT void *SteamAPI_SteamGameServerUGC_v020(void) { return accessor("SteamAPI_SteamGameServerUGC_v020"); }
#endif

/* ---------- manual dispatch ---------- */

static void check_pipe(const char *name, int pipe) {
	if (pipe != FAKE_PIPE || !g_inited) proto_error("%s: pipe %d, want %d (inited %d)", name, pipe, FAKE_PIPE, g_inited);
	if (!g_dispatch_inited) proto_error("%s before SteamAPI_ManualDispatch_Init", name);
}

EXPORT void SteamAPI_ManualDispatch_Init(void) {
	end(begin("SteamAPI_ManualDispatch_Init", 0, NULL));
	if (g_dispatch_inited) proto_error("SteamAPI_ManualDispatch_Init called twice");
	g_dispatch_inited = 1;
}

EXPORT void SteamAPI_ManualDispatch_RunFrame(int pipe) {
	sb *b = begin("SteamAPI_ManualDispatch_RunFrame", 0, NULL);
	arg_i(b, pipe);
	end(b);
	check_pipe("RunFrame", pipe);
}

EXPORT bool SteamAPI_ManualDispatch_GetNextCallback(int pipe, CallbackMsg_t *msg) {
	check_pipe("GetNextCallback", pipe);
	if (g_current) proto_error("GetNextCallback before FreeLastCallback of callback %d", g_current->id);
	if (!msg) {
		proto_error("GetNextCallback: msg is NULL");
		return false;
	}
	if (!g_head) return false;
	cb_t *c = g_head;
	g_head = c->next;
	if (!g_head) g_tail = NULL;
	c->next = NULL;
	g_current = c;
	msg->m_hSteamUser = FAKE_USER;
	msg->m_iCallback = c->id;
	msg->m_pubParam = c->data;
	msg->m_cubParam = c->size;
	sb *b = begin("SteamAPI_ManualDispatch_GetNextCallback", 0, NULL);
	arg_i(b, pipe);
	arg_i(b, c->id);
	end(b);
	return true;
}

EXPORT void SteamAPI_ManualDispatch_FreeLastCallback(int pipe) {
	check_pipe("FreeLastCallback", pipe);
	if (!g_current) {
		proto_error("FreeLastCallback with no callback");
		return;
	}
	/* Poison the payload so that a read after free shows in the test. */
	memset(g_current->data, 0xA5, g_current->size > 0 ? (size_t)g_current->size : 1);
	free(g_current->data);
	free(g_current);
	g_current = NULL;
}

EXPORT bool SteamAPI_ManualDispatch_GetAPICallResult(int pipe, uint64_t call, void *buf, int size, int expected,
                                                     bool *failed) {
	sb *b = begin("SteamAPI_ManualDispatch_GetAPICallResult", 0, NULL);
	arg_i(b, pipe);
	arg_u(b, call);
	arg_i(b, size);
	arg_i(b, expected);
	end(b);
	check_pipe("GetAPICallResult", pipe);
	res_t **pp = &g_results;
	while (*pp && (*pp)->call != call) pp = &(*pp)->next;
	res_t *r = *pp;
	if (!r) return false; /* an unknown call: Steam answers false too */
	if (r->id != expected || r->size != size || !buf || !failed) {
		proto_error("GetAPICallResult: call %llu is callback %d of %d bytes, asked for %d of %d bytes", (unsigned long long)call,
		      r->id, r->size, expected, size);
		return false;
	}
	memcpy(buf, r->data, (size_t)size);
	*failed = r->failed != 0;
	*pp = r->next;
	free(r->data);
	free(r);
	return true;
}

/* ---------- ISteamGameServer ---------- */

#define GS(name) SteamAPI_ISteamGameServer_##name
#define BEGIN(name) sb *b = begin(#name, 1, self)

static void offline_failure(void) {
	if (!g_offline) return;
	uint64_t f[2] = {3, 0}; /* k_EResultNoConnection, not retrying */
	fake_queue_encoded(102, f, NULL, 0);
}

EXPORT void GS(SetProduct)(void *self, const char *s) { BEGIN(SetProduct); arg_str(b, s); end(b); }
EXPORT void GS(SetGameDescription)(void *self, const char *s) { BEGIN(SetGameDescription); arg_str(b, s); end(b); }
EXPORT void GS(SetModDir)(void *self, const char *s) { BEGIN(SetModDir); arg_str(b, s); end(b); }
EXPORT void GS(SetDedicatedServer)(void *self, bool v) { BEGIN(SetDedicatedServer); arg_bool(b, v); end(b); }
EXPORT void GS(LogOn)(void *self, const char *token) {
	BEGIN(LogOn);
	arg_str(b, token);
	end(b);
	offline_failure();
}
EXPORT void GS(LogOnAnonymous)(void *self) {
	BEGIN(LogOnAnonymous);
	end(b);
	offline_failure();
}
EXPORT void GS(LogOff)(void *self) {
	BEGIN(LogOff);
	end(b);
	if (g_offline) {
		uint64_t f[1] = {3};
		fake_queue_encoded(103, f, NULL, 0);
	}
}
EXPORT bool GS(BLoggedOn)(void *self) { BEGIN(BLoggedOn); end(b); return ret("BLoggedOn") != 0; }
EXPORT bool GS(BSecure)(void *self) { BEGIN(BSecure); end(b); return ret("BSecure") != 0; }
EXPORT uint64_t GS(GetSteamID)(void *self) { BEGIN(GetSteamID); end(b); return ret("GetSteamID"); }
EXPORT bool GS(WasRestartRequested)(void *self) {
	BEGIN(WasRestartRequested);
	end(b);
	return ret("WasRestartRequested") != 0;
}
EXPORT void GS(SetMaxPlayerCount)(void *self, int n) { BEGIN(SetMaxPlayerCount); arg_i(b, n); end(b); }
EXPORT void GS(SetBotPlayerCount)(void *self, int n) { BEGIN(SetBotPlayerCount); arg_i(b, n); end(b); }
EXPORT void GS(SetServerName)(void *self, const char *s) { BEGIN(SetServerName); arg_str(b, s); end(b); }
EXPORT void GS(SetMapName)(void *self, const char *s) { BEGIN(SetMapName); arg_str(b, s); end(b); }
EXPORT void GS(SetPasswordProtected)(void *self, bool v) { BEGIN(SetPasswordProtected); arg_bool(b, v); end(b); }
EXPORT void GS(SetSpectatorPort)(void *self, uint16_t port) { BEGIN(SetSpectatorPort); arg_u(b, port); end(b); }
EXPORT void GS(SetSpectatorServerName)(void *self, const char *s) {
	BEGIN(SetSpectatorServerName);
	arg_str(b, s);
	end(b);
}
EXPORT void GS(ClearAllKeyValues)(void *self) { BEGIN(ClearAllKeyValues); end(b); }
EXPORT void GS(SetKeyValue)(void *self, const char *k, const char *v) {
	BEGIN(SetKeyValue);
	arg_str(b, k);
	arg_str(b, v);
	end(b);
}
EXPORT void GS(SetGameTags)(void *self, const char *s) { BEGIN(SetGameTags); arg_str(b, s); end(b); }
EXPORT void GS(SetGameData)(void *self, const char *s) { BEGIN(SetGameData); arg_str(b, s); end(b); }
#ifndef FAKE_NO_SETREGION
EXPORT void GS(SetRegion)(void *self, const char *s) { BEGIN(SetRegion); arg_str(b, s); end(b); }
#endif
EXPORT void GS(SetAdvertiseServerActive)(void *self, bool v) {
	BEGIN(SetAdvertiseServerActive);
	arg_bool(b, v);
	end(b);
}

/* The identity is rendered as type/size/the size bytes of its union, and
 * the rest of the union must be zero. */
EXPORT uint32_t GS(GetAuthSessionTicket)(void *self, void *buf, int max, uint32_t *len, const void *identity) {
	BEGIN(GetAuthSessionTicket);
	arg_i(b, max);
	sep(b);
	if (!identity) {
		sb_printf(b, "NULL");
	} else {
		const unsigned char *id = identity;
		int32_t type, size;
		memcpy(&type, id, 4);
		memcpy(&size, id + 4, 4);
		sb_printf(b, "identity(type=%d, size=%d, ", type, size);
		sb_hex(b, id + 8, size >= 0 && size <= 128 ? size : 0);
		sb_putc(b, ')');
		for (int i = 8 + (size > 0 && size <= 128 ? size : 0); i < 136; i++)
			if (id[i]) {
				proto_error("GetAuthSessionTicket: identity byte %d is %d past the size", i, id[i]);
				break;
			}
	}
	end(b);
	if (!buf || !len) {
		proto_error("GetAuthSessionTicket: NULL buffer or length");
		return 0;
	}
	int n = g_ticket_len < max ? g_ticket_len : max;
	memcpy(buf, g_ticket, (size_t)n);
	*len = (uint32_t)n;
	return (uint32_t)ret("GetAuthSessionTicket");
}

EXPORT int GS(BeginAuthSession)(void *self, const void *ticket, int n, uint64_t user) {
	BEGIN(BeginAuthSession);
	arg_hex(b, ticket, n);
	arg_i(b, n);
	arg_u(b, user);
	end(b);
	return (int)ret("BeginAuthSession");
}
EXPORT void GS(EndAuthSession)(void *self, uint64_t user) { BEGIN(EndAuthSession); arg_u(b, user); end(b); }
EXPORT void GS(CancelAuthTicket)(void *self, uint32_t t) { BEGIN(CancelAuthTicket); arg_u(b, t); end(b); }
EXPORT int GS(UserHasLicenseForApp)(void *self, uint64_t user, uint32_t app) {
	BEGIN(UserHasLicenseForApp);
	arg_u(b, user);
	arg_u(b, app);
	end(b);
	return (int)ret("UserHasLicenseForApp");
}
EXPORT bool GS(RequestUserGroupStatus)(void *self, uint64_t user, uint64_t group) {
	BEGIN(RequestUserGroupStatus);
	arg_u(b, user);
	arg_u(b, group);
	end(b);
	return ret("RequestUserGroupStatus") != 0;
}
EXPORT void GS(GetGameplayStats)(void *self) { BEGIN(GetGameplayStats); end(b); }
EXPORT uint64_t GS(GetServerReputation)(void *self) {
	BEGIN(GetServerReputation);
	end(b);
	return ret("GetServerReputation");
}
EXPORT SteamIPAddress_t GS(GetPublicIP)(void *self) {
	BEGIN(GetPublicIP);
	end(b);
	SteamIPAddress_t ip;
	memcpy(ip.addr, g_public_ip, 16);
	ip.type = g_public_ip_type;
	return ip;
}
EXPORT bool GS(HandleIncomingPacket)(void *self, const void *data, int n, uint32_t ip, uint16_t port) {
	BEGIN(HandleIncomingPacket);
	arg_hex(b, data, n);
	arg_i(b, n);
	arg_u(b, ip);
	arg_u(b, port);
	end(b);
	return ret("HandleIncomingPacket") != 0;
}
EXPORT int GS(GetNextOutgoingPacket)(void *self, void *buf, int max, uint32_t *ip, uint16_t *port) {
	BEGIN(GetNextOutgoingPacket);
	arg_i(b, max);
	end(b);
	if (!buf || !ip || !port) {
		proto_error("GetNextOutgoingPacket: NULL argument");
		return 0;
	}
	if (g_packet_len == 0) return 0;
	int n = g_packet_len < max ? g_packet_len : max;
	memcpy(buf, g_packet, (size_t)n);
	*ip = (uint32_t)ret("packet_ip");
	*port = (uint16_t)ret("packet_port");
	g_packet_len = 0;
	return n;
}
EXPORT uint64_t GS(AssociateWithClan)(void *self, uint64_t clan) {
	BEGIN(AssociateWithClan);
	arg_u(b, clan);
	end(b);
	return ret("AssociateWithClan");
}
EXPORT uint64_t GS(ComputeNewPlayerCompatibility)(void *self, uint64_t user) {
	BEGIN(ComputeNewPlayerCompatibility);
	arg_u(b, user);
	end(b);
	return ret("ComputeNewPlayerCompatibility");
}
EXPORT bool GS(SendUserConnectAndAuthenticate_DEPRECATED)(void *self, uint32_t ip, const void *ticket, uint32_t n,
                                                          uint64_t *user) {
	BEGIN(SendUserConnectAndAuthenticate_DEPRECATED);
	arg_u(b, ip);
	arg_hex(b, ticket, (int)n);
	arg_u(b, n);
	end(b);
	if (!user) {
		proto_error("SendUserConnectAndAuthenticate_DEPRECATED: NULL out parameter");
		return false;
	}
	*user = ret("connect_steamid");
	return ret("SendUserConnectAndAuthenticate_DEPRECATED") != 0;
}
EXPORT uint64_t GS(CreateUnauthenticatedUserConnection)(void *self) {
	BEGIN(CreateUnauthenticatedUserConnection);
	end(b);
	return ret("CreateUnauthenticatedUserConnection");
}
EXPORT void GS(SendUserDisconnect_DEPRECATED)(void *self, uint64_t user) {
	BEGIN(SendUserDisconnect_DEPRECATED);
	arg_u(b, user);
	end(b);
}
EXPORT bool GS(BUpdateUserData)(void *self, uint64_t user, const char *name, uint32_t score) {
	BEGIN(BUpdateUserData);
	arg_u(b, user);
	arg_str(b, name);
	arg_u(b, score);
	end(b);
	return ret("BUpdateUserData") != 0;
}
