fn main() {
    let text = std::fs::read_to_string("/tmp/synth1.txt").unwrap();
    let e = phirewall::Engine::new().unwrap();
    let mut n = 0;
    for note in text.split("\n\n") { n += e.detect(note).len(); }
    println!("{n}");
}
