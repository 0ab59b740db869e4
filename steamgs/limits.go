package steamgs

// Usable lengths in bytes. The SDK's k_cbMaxGameServer* sizes count the NUL
// terminator, so each limit here is one less than the SDK's constant.
const (
	MaxServerNameLen      = 63   // k_cbMaxGameServerName 64
	MaxMapNameLen         = 31   // k_cbMaxGameServerMapName 32
	MaxModDirLen          = 31   // k_cbMaxGameServerGameDir 32
	MaxGameDescriptionLen = 63   // k_cbMaxGameServerGameDescription 64
	MaxGameTagsLen        = 127  // k_cbMaxGameServerTags 128
	MaxGameDataLen        = 2047 // k_cbMaxGameServerGameData 2048
	MaxSpectatorNameLen   = 31   // the map name's size, as the SDK documents
	MaxProductLen         = 63   // the description's size; the SDK sets none
	MaxRegionLen          = 31   // the map name's size; the SDK sets none
	MaxVersionLen         = 63   // the description's size; the SDK sets none
	MaxTokenLen           = 255  // game server log-on tokens are 32 characters
	MaxPlayerNameLen      = 127  // k_cchPersonaNameMax 128
	MaxGenericIdentityLen = 31   // SteamNetworkingIdentity's generic string, 32 with NUL
	MaxAuthTicketLen      = 4096 // a ticket from GetAuthSessionTicket fits in far less
	MaxPlayerCount        = 65535
	MaxKeyValueCount      = 65535 // A2S_RULES counts rules in a u16
	// MaxKeyValueBytes is the room for key/values in the largest A2S_RULES
	// reply: 255 split fragments of 1248 bytes, less the 7-byte reply header.
	// Each key/value takes the length of key and value plus two NUL bytes.
	MaxKeyValueBytes        = 255*1248 - 7
	MinOutgoingPacketBuffer = 1400 // the largest datagram GetNextOutgoingPacket returns
)
