import ArgumentParser
import AuthCore
import Foundation

struct Users: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create, list, show, disable, enable and delete accounts; set passwords; unlock logins; reset the second factor.",
        subcommands: [
            Create.self, List.self, Show.self, Disable.self, Enable.self, Delete.self, SetPassword.self, Unlock.self,
            MFAReset.self,
        ])

    struct Create: AdminCommand {
        static let configuration = CommandConfiguration(abstract: "Create an account; the password is read from stdin.")
        @OptionGroup var options: DatabaseOptions
        @Argument(help: "The email address.") var email: String

        func execute() async throws {
            let admin = try await options.administration().admin
            let account = try await admin.createAccount(email: email, password: try options.readPassword())
            if options.json { return Output.json(AccountSummary(account)) }
            print(account.id)
        }
    }

    struct List: AdminCommand {
        static let configuration = CommandConfiguration(abstract: "Every account, by email.")
        @OptionGroup var options: DatabaseOptions

        func execute() async throws {
            let accounts = try await options.administration().admin.listAccounts().map(AccountSummary.init)
            if options.json { return Output.json(accounts) }
            Output.table(["ID", "EMAIL", "STATUS", "CREATED"], accounts.map { [$0.id, $0.email, $0.status, $0.createdAt] })
        }
    }

    struct Show: AdminCommand {
        static let configuration = CommandConfiguration(abstract: "One account, by email or id.")
        @OptionGroup var options: DatabaseOptions
        @Argument(help: "The account's email or id.") var account: String

        func execute() async throws {
            let found = AccountSummary(try await options.administration(for: account).account)
            if options.json { return Output.json(found) }
            Output.table(["ID", "EMAIL", "STATUS", "CREATED"], [[found.id, found.email, found.status, found.createdAt]])
        }
    }

    struct Disable: AdminCommand {
        static let configuration = CommandConfiguration(abstract: "Disable an account and end its sessions.")
        @OptionGroup var options: DatabaseOptions
        @Argument(help: "The account's email or id.") var account: String

        func execute() async throws {
            let (admin, found) = try await options.administration(for: account)
            try await admin.disableAccount(found)
            Output.note("disabled \(found.email); its sessions have ended")
        }
    }

    struct Enable: AdminCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled account.")
        @OptionGroup var options: DatabaseOptions
        @Argument(help: "The account's email or id.") var account: String

        func execute() async throws {
            let (admin, found) = try await options.administration(for: account)
            try await admin.enableAccount(found)
            Output.note("enabled \(found.email)")
        }
    }

    struct Delete: AdminCommand {
        static let configuration = CommandConfiguration(abstract: "Delete an account with its sessions.")
        @OptionGroup var options: DatabaseOptions
        @Argument(help: "The account's email or id.") var account: String

        func execute() async throws {
            let (admin, found) = try await options.administration(for: account)
            try await admin.deleteAccount(found)
            Output.note("deleted \(found.email)")
        }
    }

    struct Unlock: AdminCommand {
        static let configuration = CommandConfiguration(
            abstract: "Clear every failed-login record of an account, from every address, so logins are not throttled.")
        @OptionGroup var options: DatabaseOptions
        @Argument(help: "The account's email or id.") var account: String

        func execute() async throws {
            let (admin, found) = try await options.administration(for: account)
            let cleared = try await admin.unlockAccount(found)
            Output.note("unlocked \(found.email): cleared \(cleared) failed-login records")
        }
    }

    struct SetPassword: AdminCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-password", abstract: "Set an account's password from stdin and end its sessions.")
        @OptionGroup var options: DatabaseOptions
        @Argument(help: "The account's email or id.") var account: String

        func execute() async throws {
            let (admin, found) = try await options.administration(for: account)
            try await admin.setPassword(found, password: try options.readPassword())
            Output.note("set the password of \(found.email); its sessions have ended")
        }
    }

    struct MFAReset: AdminCommand {
        static let configuration = CommandConfiguration(
            commandName: "mfa-reset",
            abstract: "Turn an account's second factor off (a lost authenticator and lost recovery codes).")
        @OptionGroup var options: DatabaseOptions
        @Argument(help: "The account's email or id.") var account: String

        func execute() async throws {
            let (admin, found) = try await options.administration(for: account)
            let removed = try await admin.resetMFA(found)
            Output.note(removed ? "turned the second factor of \(found.email) off" : "\(found.email) had no second factor")
        }
    }
}
