package local

import (
	"fmt"

	"github.com/steamgs/steamgs/steamgs"
)

// group is a Steam group (clan) of the universe.
type group struct {
	name string
	// members maps each member to whether they are an officer.
	members map[steamgs.SteamID]bool
}

// AddGroup adds a Steam group and returns its Steam ID, a clan [g:1:N], N
// derived from the key and the name as for AddUser.
func (u *Universe) AddGroup(name string) steamgs.SteamID {
	u.mu.Lock()
	defer u.mu.Unlock()
	n := u.deriveAccount("group", name)
	id := steamgs.ClanID(n)
	for u.groups[id] != nil {
		n = n%0x7FFFFFFF + 1
		id = steamgs.ClanID(n)
	}
	u.groups[id] = &group{name: name, members: make(map[steamgs.SteamID]bool)}
	return id
}

// SetGroupMember sets whether user is a member of group and whether an
// officer; an officer is always a member, so officer true makes user a
// member whatever member says. Both must be accounts of the universe
// (ErrUnknownAccount).
func (u *Universe) SetGroupMember(user, group steamgs.SteamID, member, officer bool) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	if _, err := u.userLocked("user", user); err != nil {
		return err
	}
	g := u.groups[group]
	if g == nil {
		return fmt.Errorf("steamgs/local: group %s is not a group of this universe (see AddGroup): %w", group, ErrUnknownAccount)
	}
	if member || officer {
		g.members[user] = officer
	} else {
		delete(g.members, user)
	}
	return nil
}
