document.querySelector('#app').textContent = 'built by Vite'
