package agones

// MailNotify returns the channel that receives a value when the Agent's
// goroutines leave events for the tick.
func (a *Agent) MailNotify() <-chan struct{} { return a.mail.notify }

// Tick runs the Agent's work of one tick.
func (a *Agent) Tick() { a.tick() }
