fn main() {
    std::process::exit(dockgen::cli::main());
}
