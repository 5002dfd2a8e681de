// package.json's start script; the Procfile's web process wins over it.
console.log('not the web process');
