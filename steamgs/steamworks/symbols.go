package steamworks

// symbols holds the address of every flat C function a server calls. Open
// resolves all of them before it returns, so a call never meets a missing
// symbol.
type symbols struct {
	// Life cycle and dispatch.
	initV2              uintptr // SteamInternal_GameServer_Init_V2
	shutdown            uintptr // SteamGameServer_Shutdown
	getPipe             uintptr // SteamGameServer_GetHSteamPipe
	releaseThreadMemory uintptr // SteamAPI_ReleaseCurrentThreadMemory
	gameServer          uintptr // SteamAPI_SteamGameServer_v015
	dispatchInit        uintptr // SteamAPI_ManualDispatch_Init
	dispatchRunFrame    uintptr // SteamAPI_ManualDispatch_RunFrame
	dispatchNext        uintptr // SteamAPI_ManualDispatch_GetNextCallback
	dispatchFree        uintptr // SteamAPI_ManualDispatch_FreeLastCallback
	dispatchCallResult  uintptr // SteamAPI_ManualDispatch_GetAPICallResult

	// The 41 functions of ISteamGameServer (SteamAPI_ISteamGameServer_*).
	setProduct                     uintptr
	setGameDescription             uintptr
	setModDir                      uintptr
	setDedicatedServer             uintptr
	logOn                          uintptr
	logOnAnonymous                 uintptr
	logOff                         uintptr
	bLoggedOn                      uintptr
	bSecure                        uintptr
	getSteamID                     uintptr
	wasRestartRequested            uintptr
	setMaxPlayerCount              uintptr
	setBotPlayerCount              uintptr
	setServerName                  uintptr
	setMapName                     uintptr
	setPasswordProtected           uintptr
	setSpectatorPort               uintptr
	setSpectatorServerName         uintptr
	clearAllKeyValues              uintptr
	setKeyValue                    uintptr
	setGameTags                    uintptr
	setGameData                    uintptr
	setRegion                      uintptr
	setAdvertiseServerActive       uintptr
	getAuthSessionTicket           uintptr
	beginAuthSession               uintptr
	endAuthSession                 uintptr
	cancelAuthTicket               uintptr
	userHasLicenseForApp           uintptr
	requestUserGroupStatus         uintptr
	getGameplayStats               uintptr
	getServerReputation            uintptr
	getPublicIP                    uintptr
	handleIncomingPacket           uintptr
	getNextOutgoingPacket          uintptr
	associateWithClan              uintptr
	computeNewPlayerCompatibility  uintptr
	sendUserConnectAndAuthenticate uintptr
	createUnauthenticatedUser      uintptr
	sendUserDisconnect             uintptr
	bUpdateUserData                uintptr
}

// gameServerPrefix starts the name of every ISteamGameServer function.
const gameServerPrefix = "SteamAPI_ISteamGameServer_"

// symbol pairs a C symbol name with the field that receives its address.
type symbol struct {
	name string
	addr *uintptr
}

// table lists every symbol of s with its C name, life-cycle functions first,
// then the ISteamGameServer functions in the SDK's order.
func (s *symbols) table() []symbol {
	const p = gameServerPrefix
	return []symbol{
		{"SteamInternal_GameServer_Init_V2", &s.initV2},
		{"SteamGameServer_Shutdown", &s.shutdown},
		{"SteamGameServer_GetHSteamPipe", &s.getPipe},
		{"SteamAPI_ReleaseCurrentThreadMemory", &s.releaseThreadMemory},
		{"SteamAPI_SteamGameServer_v015", &s.gameServer},
		{"SteamAPI_ManualDispatch_Init", &s.dispatchInit},
		{"SteamAPI_ManualDispatch_RunFrame", &s.dispatchRunFrame},
		{"SteamAPI_ManualDispatch_GetNextCallback", &s.dispatchNext},
		{"SteamAPI_ManualDispatch_FreeLastCallback", &s.dispatchFree},
		{"SteamAPI_ManualDispatch_GetAPICallResult", &s.dispatchCallResult},

		{p + "SetProduct", &s.setProduct},
		{p + "SetGameDescription", &s.setGameDescription},
		{p + "SetModDir", &s.setModDir},
		{p + "SetDedicatedServer", &s.setDedicatedServer},
		{p + "LogOn", &s.logOn},
		{p + "LogOnAnonymous", &s.logOnAnonymous},
		{p + "LogOff", &s.logOff},
		{p + "BLoggedOn", &s.bLoggedOn},
		{p + "BSecure", &s.bSecure},
		{p + "GetSteamID", &s.getSteamID},
		{p + "WasRestartRequested", &s.wasRestartRequested},
		{p + "SetMaxPlayerCount", &s.setMaxPlayerCount},
		{p + "SetBotPlayerCount", &s.setBotPlayerCount},
		{p + "SetServerName", &s.setServerName},
		{p + "SetMapName", &s.setMapName},
		{p + "SetPasswordProtected", &s.setPasswordProtected},
		{p + "SetSpectatorPort", &s.setSpectatorPort},
		{p + "SetSpectatorServerName", &s.setSpectatorServerName},
		{p + "ClearAllKeyValues", &s.clearAllKeyValues},
		{p + "SetKeyValue", &s.setKeyValue},
		{p + "SetGameTags", &s.setGameTags},
		{p + "SetGameData", &s.setGameData},
		{p + "SetRegion", &s.setRegion},
		{p + "SetAdvertiseServerActive", &s.setAdvertiseServerActive},
		{p + "GetAuthSessionTicket", &s.getAuthSessionTicket},
		{p + "BeginAuthSession", &s.beginAuthSession},
		{p + "EndAuthSession", &s.endAuthSession},
		{p + "CancelAuthTicket", &s.cancelAuthTicket},
		{p + "UserHasLicenseForApp", &s.userHasLicenseForApp},
		{p + "RequestUserGroupStatus", &s.requestUserGroupStatus},
		{p + "GetGameplayStats", &s.getGameplayStats},
		{p + "GetServerReputation", &s.getServerReputation},
		{p + "GetPublicIP", &s.getPublicIP},
		{p + "HandleIncomingPacket", &s.handleIncomingPacket},
		{p + "GetNextOutgoingPacket", &s.getNextOutgoingPacket},
		{p + "AssociateWithClan", &s.associateWithClan},
		{p + "ComputeNewPlayerCompatibility", &s.computeNewPlayerCompatibility},
		{p + "SendUserConnectAndAuthenticate_DEPRECATED", &s.sendUserConnectAndAuthenticate},
		{p + "CreateUnauthenticatedUserConnection", &s.createUnauthenticatedUser},
		{p + "SendUserDisconnect_DEPRECATED", &s.sendUserDisconnect},
		{p + "BUpdateUserData", &s.bUpdateUserData},
	}
}

// iface is one interface of the version list that SteamGameServer_InitEx
// hands to Init_V2, with the versions this package knows, newest first. Each
// version names the flat accessor that a library of that SDK exports, so the
// list can be made to match the library in use.
type iface struct {
	versions []ifaceVersion
}

// ifaceVersion is an interface version string and its flat accessor.
type ifaceVersion struct {
	version  string // such as "STEAMUGC_INTERFACE_VERSION020"
	accessor string // such as "SteamAPI_SteamGameServerUGC_v020"
}

// checkedInterfaces returns the interfaces of the SDK's
// SteamGameServer_InitEx list, in its order. SDK 1.61 carries UGC 020 and
// SDK 1.64 UGC 021.
func checkedInterfaces() []iface {
	return []iface{
		{[]ifaceVersion{{"SteamUtils010", "SteamAPI_SteamGameServerUtils_v010"}}},
		{[]ifaceVersion{{"SteamNetworkingUtils004", "SteamAPI_SteamNetworkingUtils_SteamAPI_v004"}}},
		{[]ifaceVersion{{"SteamGameServer015", "SteamAPI_SteamGameServer_v015"}}},
		{[]ifaceVersion{{"SteamGameServerStats001", "SteamAPI_SteamGameServerStats_v001"}}},
		{[]ifaceVersion{{"STEAMHTTP_INTERFACE_VERSION003", "SteamAPI_SteamGameServerHTTP_v003"}}},
		{[]ifaceVersion{{"STEAMINVENTORY_INTERFACE_V003", "SteamAPI_SteamGameServerInventory_v003"}}},
		{[]ifaceVersion{{"SteamNetworking006", "SteamAPI_SteamGameServerNetworking_v006"}}},
		{[]ifaceVersion{{"SteamNetworkingMessages002", "SteamAPI_SteamGameServerNetworkingMessages_SteamAPI_v002"}}},
		{[]ifaceVersion{{"SteamNetworkingSockets012", "SteamAPI_SteamGameServerNetworkingSockets_SteamAPI_v012"}}},
		{[]ifaceVersion{
			{"STEAMUGC_INTERFACE_VERSION021", "SteamAPI_SteamGameServerUGC_v021"},
			{"STEAMUGC_INTERFACE_VERSION020", "SteamAPI_SteamGameServerUGC_v020"},
		}},
	}
}

// interfaceVersions picks, for each checked interface, the newest version
// whose accessor exists (has reports that), or the newest version known
// when the library exports none of them (Init then names the mismatch).
func interfaceVersions(has func(name string) bool) []string {
	list := checkedInterfaces()
	out := make([]string, 0, len(list))
	for _, it := range list {
		pick := it.versions[0].version
		for _, v := range it.versions {
			if has(v.accessor) {
				pick = v.version
				break
			}
		}
		out = append(out, pick)
	}
	return out
}

// versionList encodes versions the way Init_V2 takes them: each followed by
// a NUL, and an empty string (one more NUL) at the end.
func versionList(versions []string) []byte {
	var b []byte
	for _, v := range versions {
		b = append(b, v...)
		b = append(b, 0)
	}
	return append(b, 0)
}
