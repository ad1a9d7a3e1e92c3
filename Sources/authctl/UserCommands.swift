import ArgumentParser
import AuthCore
import Foundation

struct Users: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create, list, show, disable, enable and delete accounts; set passwords.",
        subcommands: [
            Create.self, List.self, Show.self, Disable.self, Enable.self, Delete.self, SetPassword.self, Unlock.self,
        ])

    struct Create: AdminCommand {
        static let configuration = CommandConfiguration(abstract: "Create an account; the password is read from stdin.")
        @OptionGroup var options: DatabaseOptions
        @Argument(help: "The email address.") var email: String

        func execute() async throws {
            let store = try options.openStore()
            let email: String
            do { email = try Email.normalize(self.email) } catch { throw CLIError.badData(error.message) }
            let password = try options.readPassword(for: email)
            let now = Date().unixSeconds
            let account = Account(
                id: RandomSource.system.identifier(), email: email, status: .active, passwordHash: try options.hasher().hash(password),
                createdAt: now, updatedAt: now)
            do {
                try await store.insertAccount(account)
            } catch let error as AuthError {
                throw CLIError.badData(error.message)
            }
            try await options.audit(.accountCreated, in: store, accountID: account.id, email: account.email)
            if options.json { return Output.json(AccountSummary(account)) }
            print(account.id)
        }
    }

    struct List: AdminCommand {
        static let configuration = CommandConfiguration(abstract: "Every account, by email.")
        @OptionGroup var options: DatabaseOptions

        func execute() async throws {
            let store = try options.openStore()
            var accounts: [AccountSummary] = []
            var after: String?
            while true {
                let page = try await store.accounts(afterEmail: after, limit: 1000)
                accounts += page.map(AccountSummary.init)
                guard page.count == 1000, let last = page.last else { break }
                after = last.email
            }
            if options.json { return Output.json(accounts) }
            Output.table(["ID", "EMAIL", "STATUS", "CREATED"], accounts.map { [$0.id, $0.email, $0.status, $0.createdAt] })
        }
    }

    struct Show: AdminCommand {
        static let configuration = CommandConfiguration(abstract: "One account, by email or id.")
        @OptionGroup var options: DatabaseOptions
        @Argument(help: "The account's email or id.") var account: String

        func execute() async throws {
            let found = AccountSummary(try await options.account(account, in: try options.openStore()))
            if options.json { return Output.json(found) }
            Output.table(["ID", "EMAIL", "STATUS", "CREATED"], [[found.id, found.email, found.status, found.createdAt]])
        }
    }

    struct Disable: AdminCommand {
        static let configuration = CommandConfiguration(abstract: "Disable an account and end its sessions.")
        @OptionGroup var options: DatabaseOptions
        @Argument(help: "The account's email or id.") var account: String

        func execute() async throws {
            let (store, found) = try await options.openAccount(account)
            _ = try await store.setStatus(
                accountID: found.id, status: .disabled, ending: .all(.accountDisabled), now: Date().unixSeconds)
            try await options.audit(.accountDisabled, in: store, accountID: found.id, email: found.email)
            Output.note("disabled \(found.email); its sessions have ended")
        }
    }

    struct Enable: AdminCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled account.")
        @OptionGroup var options: DatabaseOptions
        @Argument(help: "The account's email or id.") var account: String

        func execute() async throws {
            let (store, found) = try await options.openAccount(account)
            _ = try await store.setStatus(accountID: found.id, status: .active, ending: .none, now: Date().unixSeconds)
            try await options.audit(.accountEnabled, in: store, accountID: found.id, email: found.email)
            Output.note("enabled \(found.email)")
        }
    }

    struct Delete: AdminCommand {
        static let configuration = CommandConfiguration(abstract: "Delete an account with its sessions.")
        @OptionGroup var options: DatabaseOptions
        @Argument(help: "The account's email or id.") var account: String

        func execute() async throws {
            let (store, found) = try await options.openAccount(account)
            _ = try await store.deleteAccount(id: found.id)
            try await options.audit(.accountDeleted, in: store, accountID: found.id, email: found.email)
            Output.note("deleted \(found.email)")
        }
    }

    struct Unlock: AdminCommand {
        static let configuration = CommandConfiguration(
            abstract: "Clear every failed-login record of an account, from every address, so logins are not throttled.")
        @OptionGroup var options: DatabaseOptions
        @Argument(help: "The account's email or id.") var account: String

        func execute() async throws {
            let (store, found) = try await options.openAccount(account)
            let cleared = try await store.clearLoginFailures(email: found.email)
            try await options.audit(.accountUnlocked, in: store, accountID: found.id, email: found.email, detail: "\(cleared) records")
            Output.note("unlocked \(found.email): cleared \(cleared) failed-login records")
        }
    }

    struct SetPassword: AdminCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-password", abstract: "Set an account's password from stdin and end its sessions.")
        @OptionGroup var options: DatabaseOptions
        @Argument(help: "The account's email or id.") var account: String

        func execute() async throws {
            let (store, found) = try await options.openAccount(account)
            let password = try options.readPassword(for: found.email)
            try await store.setPassword(
                accountID: found.id, hash: try options.hasher().hash(password), ending: .all(.passwordChanged),
                now: Date().unixSeconds)
            try await options.audit(.passwordChanged, in: store, accountID: found.id, email: found.email, detail: "set by an admin")
            Output.note("set the password of \(found.email); its sessions have ended")
        }
    }
}
