/// Turns what a mail is about into a queued mail: composed by the templates, sealed with the
/// key-encryption key. The caller stores it in the commit of the token it carries.
public struct MailQueue: Sendable {
    let composer: any MailComposer
    let keys: KeyRing
    let clock: WallClock
    let random: RandomSource

    public init(composer: any MailComposer, keys: KeyRing, clock: WallClock, random: RandomSource) {
        self.composer = composer
        self.keys = keys
        self.clock = clock
        self.random = random
    }

    func prepare(_ content: MailContent, accountID: String) throws -> OutgoingMail {
        OutgoingMail(
            id: random.identifier(), accountID: accountID, recipient: content.to, purpose: content.purpose,
            sealedMessage: try keys.seal(composer.compose(content)), createdAt: clock.seconds)
    }
}
